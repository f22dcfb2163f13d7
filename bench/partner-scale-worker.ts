/**
 * One measurement of the consortium-scale figures (a fresh process, so memory is its own):
 * evaluates one organization of 8 nodes that joins a consortium of `P` partner organizations of
 * `N` nodes each, with the mocked engine, and prints {ms, resources, maxRssMb, largestConfigMap, consortiumNodes}.
 * The partners' exports are built the way the program exports them (buildExternalNode, distinct
 * keys), before the timed part.
 */
import { randomBytes } from "node:crypto";
import { QuorumOrganization } from "../components/organization";
import { resolveConfig } from "../core/config/resolve-config";
import { buildExternalNode, EXTERNAL_NODES_SCHEMA_VERSION, type ExternalNodesDocument } from "../core/export/external-nodes";
import { computeKeyIdentity } from "../core/keys/secp256k1-key";
import { buildConsortium } from "../core/peers/consortium";
import { exportedNodes, installMocks, ofType, promiseOf, recorded, settle } from "../test/helpers/mocks";

async function founderGenesis(): Promise<ExternalNodesDocument> {
    installMocks();
    const o = new QuorumOrganization("org-0", { config: resolveConfig({ org: "org-0", nodes: [{ name: "p0-n0" }] }), nodeIp: "10.1.0.1" });
    const doc = await exportedNodes(o);
    await settle();
    return doc;
}

function partner(founder: ExternalNodesDocument, index: number, nodes: number): ExternalNodesDocument {
    const ip = `10.1.${Math.floor(index / 250)}.${(index % 250) + 1}`;
    return {
        schemaVersion: EXTERNAL_NODES_SCHEMA_VERSION,
        org: `org-${index}`,
        chainId: founder.chainId,
        consensus: founder.consensus,
        genesisHash: founder.genesisHash,
        genesis: founder.genesis,
        nodeIp: ip,
        nodes: Array.from({ length: nodes }, (_, i) => {
            const id = computeKeyIdentity(randomBytes(32).toString("hex"));
            const account = computeKeyIdentity(randomBytes(32).toString("hex"));
            return buildExternalNode(
                { name: `p${index}-n${i}`, role: i % 4 === 3 ? "member" : "validator", enodeId: id.enodeId, nodeAddress: id.address, accountAddress: account.address, tesseraPublicKey: randomBytes(32).toString("base64"), p2pNodePort: 30000 + i, tesseraNodePort: 31000 + i },
                ip,
                founder.consensus,
            );
        }),
    };
}

async function main(): Promise<void> {
    const [partners, nodesPer] = process.argv.slice(2).map(Number);
    const founder = await founderGenesis();
    // org-0 founded the network (its genesis); every partner, org-0 included, has `nodesPer` nodes.
    const docs = Array.from({ length: partners }, (_, i) => partner(founder, i, nodesPer));
    const nodes = Array.from({ length: 8 }, (_, i) => ({ name: `own-n${i}`, role: i % 4 === 3 ? "member" : "validator" }));
    const sources = docs.map((d) => ({ source: `${d.org}.json`, doc: d }));

    const started = process.hrtime.bigint();
    installMocks();
    const config = resolveConfig({ org: "own", nodes, partnerFiles: sources.map((s) => s.source), genesisFrom: "org-0.json" });
    const consortium = buildConsortium({ org: "own", chainId: config.chainId, consensus: config.consensus, nodeNames: nodes.map((n) => n.name), genesisFrom: "org-0.json" }, sources);
    const o = new QuorumOrganization("own", { config, nodeIp: "10.2.0.1", consortium });
    await exportedNodes(o);
    await promiseOf(o.staticNodes);
    await settle();
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    const maps = ofType("kubernetes:core/v1:ConfigMap").map((r) => ({
        name: r.name,
        bytes: Object.entries((r.inputs.data ?? {}) as Record<string, string>).reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(String(v)), 0),
    }));
    const largest = maps.reduce((a, b) => (b.bytes > a.bytes ? b : a));
    process.stdout.write(JSON.stringify({ ms, resources: recorded.length, maxRssMb: process.resourceUsage().maxRSS / 1024, largestConfigMap: largest, consortiumNodes: 8 + partners * nodesPer }));
}

void main();
