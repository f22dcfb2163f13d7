/**
 * One measurement (run in a fresh process so memory figures are its own): evaluates the program
 * for two organizations of `n` nodes each with the mocked engine — the founder, then a joiner
 * that merges the founder's export — and prints {ms, resources, maxRssMb}.
 */
import { resolveConfig } from "../core/config/resolve-config";
import { QuorumOrganization } from "../components/organization";
import { exportedNodes, installMocks, promiseOf, recorded, settle } from "../test/helpers/mocks";
import { buildConsortium } from "../core/peers/consortium";

async function org(name: string, n: number, partner?: unknown) {
    const nodes = Array.from({ length: n }, (_, i) => ({ name: `${name}-n${i}`, role: i % 4 === 3 ? "member" : "validator" }));
    const config = resolveConfig({ org: name, nodes, ...(partner ? { partners: ["founder"], genesisFrom: "founder" } : {}) });
    const consortium = partner
        ? buildConsortium({ org: name, chainId: config.chainId, consensus: config.consensus, nodeNames: nodes.map((x) => x.name), genesisFrom: "founder" }, [{ source: "founder", doc: partner as never }])
        : undefined;
    const o = new QuorumOrganization(name, { config, nodeIp: name === "org-a" ? "10.0.10.1" : "10.0.20.1", consortium });
    const doc = await exportedNodes(o);
    await promiseOf(o.staticNodes);
    await settle();
    return doc;
}

async function main(): Promise<void> {
    const n = Number(process.argv[2]);
    const started = process.hrtime.bigint();
    installMocks();
    const founder = await org("org-a", n);
    const founderResources = recorded.length;
    installMocks();
    await org("org-b", n, founder);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    const resources = founderResources + recorded.length;
    process.stdout.write(JSON.stringify({ ms, resources, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
}

void main();
