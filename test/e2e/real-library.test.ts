/**
 * Issue 19 on the real nodes: qstack as a component library. `examples/existing-program`, an
 * organization's own Pulumi program (its namespace, a quota, an app ConfigMap), installs the
 * packed qstack tarball (`npm pack`, not a relative import) in a folder outside the checkout and
 * adds a `QuorumOrganization` to cluster b, in a namespace of its own. The repository's clusterA
 * stack is its founder, clusterB (the same cluster, the same node IP) and clusterA its partners;
 * both list it back; all three converge, and the library's node joins the chain. That makes
 * three organizations on the two clusters, one pair sharing a cluster by namespace (issue 14):
 * the NetworkPolicy admits the same-cluster partner's node pods and refuses another pod of
 * that namespace. Everything is removed afterwards, so the later suites see the two stacks as before.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { LocalWorkspace, type Stack } from "@pulumi/pulumi/automation";
import { dump, load } from "js-yaml";
import type { ExternalNodesDocument } from "../../core/export/external-nodes";
import { names } from "../../core/k8s/labels";
import { PATHS } from "../../core/node/layout";
import { waitFor } from "../../lab/chain/deadline";
import { gethValue, peerEnodeIds, realNodes } from "../../lab/chain/real-node-console";
import { parseEnodeUrl } from "../../core/keys/enode";
import { LIBRARY_CONSUMER_DIR, REAL_PROJECT_DIR, REPO, realKubeconfigOf } from "../../lab/lab-env";
import { labImageNames } from "../../lab/real-lab";
import { convergedRealLab, realLab } from "./lab-helpers";

const MINUTE = 60_000;
const EXAMPLE = join(REPO, "examples", "existing-program");
const STACK = "orgLib";
const QUALIFIED = `organization/existing-program/${STACK}`;
const FOUNDER = "organization/qstack/clusterA";
const SAME_CLUSTER_PARTNER = "organization/qstack/clusterB";
const NAMESPACE = "org-lib";
const NODE = "lib-member1";
/** A pod of the library's namespace that is not one of its node pods. */
const STRANGER = "stranger";
/** Under the lab folder, so `npm run lab:down` removes it even after a failed run. */
const CONSUMER = LIBRARY_CONSUMER_DIR;

function run(cmd: string, args: string[], cwd: string): string {
    return execFileSync(cmd, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 64 << 20 });
}

function kubectlB(...args: string[]): string {
    return execFileSync("kubectl", ["--kubeconfig", realKubeconfigOf("b"), "-n", NAMESPACE, ...args], { encoding: "utf8", maxBuffer: 64 << 20 });
}

/**
 * Whether a pod's container reaches a partner's first Tessera P2P NodePort (`/upcheck`): "up",
 * or "refused" when no answer comes (a NetworkPolicy drop shows as a timeout).
 */
function upcheckFrom(pod: string, container: string, partner: ExternalNodesDocument): "up" | "refused" {
    const url = `${partner.nodes.find((n) => n.tesseraP2pUrl)!.tesseraP2pUrl}/upcheck`;
    const out = kubectlB("exec", pod, "-c", container, "--", "sh", "-c", `timeout 5 wget -q -O - ${url} 2>/dev/null || echo QREFUSED`);
    return /QREFUSED/.test(out) ? "refused" : /up/i.test(out) ? "up" : (assert.fail(`unexpected answer from ${url}: ${out}`) as never);
}

/** Resource changes a preview of `stack` reports (anything but same/read). */
async function changes(stack: Stack): Promise<Record<string, number>> {
    const r = await stack.preview();
    return Object.fromEntries(Object.entries(r.changeSummary ?? {}).filter(([op, n]) => op !== "same" && op !== "read" && (n ?? 0) > 0)) as Record<string, number>;
}

/** Lists the library's organization among `stack`'s partners, or removes it. */
function setListsLibraryOrg(stack: "clusterA" | "clusterB", add: boolean): void {
    const file = join(REAL_PROJECT_DIR, `Pulumi.${stack}.yaml`);
    const doc = load(readFileSync(file, "utf8")) as { config: Record<string, unknown> };
    const partners = ((doc.config["qstack:partners"] as string[] | undefined) ?? []).filter((p) => p !== QUALIFIED);
    doc.config["qstack:partners"] = add ? [...partners, QUALIFIED] : partners;
    writeFileSync(file, dump(doc));
}

describe("qstack as a library: an existing program deploys an organization that peers with the lab's stacks", function () {
    let example: Stack;
    let tarball: string;
    /** Set by the deploying test; the ones after it check the running organization it made. */
    let deployed = false;
    const needsDeployed = () => assert.ok(deployed, "the organization was not deployed (see the test before)");

    before(async function () {
        const report = await convergedRealLab();
        assert.equal(report.converged, true);
        rmSync(CONSUMER, { recursive: true, force: true });
        mkdirSync(CONSUMER, { recursive: true });
        // What a consumer does: pack the checkout (prepack builds dist/), install the tarball.
        const packed = JSON.parse(run("npm", ["pack", "--json", "--pack-destination", CONSUMER], REPO)) as { filename: string }[];
        tarball = join(CONSUMER, packed[0].filename);
        for (const f of readdirSync(EXAMPLE)) copyFileSync(join(EXAMPLE, f), join(CONSUMER, f));
        run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline"], CONSUMER);
        run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", tarball], CONSUMER);
        const images = labImageNames();
        writeFileSync(
            join(CONSUMER, `Pulumi.${STACK}.yaml`),
            dump({
                config: {
                    "kubernetes:kubeconfig": realKubeconfigOf("b"),
                    "existing-program:namespace": NAMESPACE,
                    "existing-program:rpcNode": NODE,
                    // Small requests: the lab node's two CPUs already carry clusterB's pods.
                    "existing-program:nodes": [{ name: NODE, role: "member", tessera: false, resources: { quorum: { requests: { cpu: "10m" } } } }],
                    "existing-program:partners": [FOUNDER, SAME_CLUSTER_PARTNER],
                    "existing-program:genesisFrom": FOUNDER,
                    "existing-program:quorum": { image: images.quorum },
                    "existing-program:tessera": { image: images.tessera },
                },
            }),
        );
        example = await LocalWorkspace.createOrSelectStack({ stackName: STACK, workDir: CONSUMER });
    });

    after(async function () {
        // The lab's stacks forget the library's organization first, then the organization goes.
        kubectlB("delete", "pod", STRANGER, "--ignore-not-found", "--wait=false");
        for (const s of ["clusterA", "clusterB"] as const) {
            setListsLibraryOrg(s, false);
            await (await realLab.stack(s)).up();
        }
        if (example) {
            await example.destroy();
            await example.workspace.removeStack(STACK, { force: true });
        }
        rmSync(CONSUMER, { recursive: true, force: true });
    });

    it("installs from the packed tarball alone, and the example type-checks against the package's declarations", () => {
        const installed = JSON.parse(readFileSync(join(CONSUMER, "node_modules", "qstack", "package.json"), "utf8")) as { version: string };
        assert.equal(installed.version, "0.1.0");
        const manifest = JSON.parse(readFileSync(join(CONSUMER, "package.json"), "utf8")) as { dependencies: Record<string, string> };
        assert.match(manifest.dependencies.qstack, /^file:.*qstack-0\.1\.0\.tgz$/);
        // npm may nest the package's own dependencies under it (node_modules); nothing else but what it ships.
        const shipped = readdirSync(join(CONSUMER, "node_modules", "qstack")).filter((f) => f !== "node_modules").sort();
        assert.deepEqual(shipped, ["README.md", "bin", "dist", "package.json"]);
        run("npx", ["--no-install", "tsc", "--noEmit", "-p", "tsconfig.json"], CONSUMER);
    });

    it("deploys as a joiner of clusterA's chain; clusterA and clusterB list it back; all three then preview no change", async function () {
        this.timeout(30 * MINUTE);
        await example.up();
        const exported = (await example.outputs()).externalNodes.value as ExternalNodesDocument;
        assert.equal(exported.namespace, NAMESPACE);
        const clusterB = (await (await realLab.stack("clusterB")).outputs()).externalNodes.value as ExternalNodesDocument;
        assert.equal(exported.nodeIp, clusterB.nodeIp, "one cluster, one node IP");
        // Before clusterB lists it, clusterB's policy refuses the library's node pod (pod address, same cluster).
        assert.equal(upcheckFrom(names.pod(NODE), "quorum", clusterB), "refused");
        for (const s of ["clusterA", "clusterB"] as const) {
            setListsLibraryOrg(s, true);
            await (await realLab.stack(s)).up();
        }
        // The joiner's own lists already held both: a second update finds nothing to do.
        assert.deepEqual(await changes(example), {});
        assert.deepEqual(await changes(await realLab.stack("clusterA")), {});
        assert.deepEqual(await changes(await realLab.stack("clusterB")), {});
        const outputs = await example.outputs();
        const doc = outputs.externalNodes.value as ExternalNodesDocument;
        assert.equal(doc.org, "org-lib");
        assert.deepEqual(doc.nodes.map((n) => n.name), [NODE]);
        const founder = (await (await realLab.stack("clusterA")).outputs()).genesisHash.value as string;
        assert.equal(doc.genesisHash, founder, "the library's organization adopted the founder's genesis");
        // The program's own objects stand beside qstack's in the namespace it created.
        assert.equal(kubectlB("get", "resourcequota", "apps", "-o", "jsonpath={.spec.hard.pods}"), "20");
        assert.match(kubectlB("get", "configmap", "ledger-client", "-o", "jsonpath={.data.rpcUrl}"), new RegExp(`^http://${NODE}\\.${NAMESPACE}\\.svc:8545$`));
        deployed = true;
    });

    it("clusterB's NetworkPolicy admits the library's node pod on its external ports, and refuses another pod of that namespace", async function () {
        this.timeout(5 * MINUTE);
        needsDeployed();
        const clusterB = (await (await realLab.stack("clusterB")).outputs()).externalNodes.value as ExternalNodesDocument;
        assert.equal(upcheckFrom(names.pod(NODE), "quorum", clusterB), "up");
        kubectlB("run", STRANGER, `--image=${labImageNames().quorum}`, "--restart=Never", "--command", "--", "sh", "-c", "sleep 600");
        kubectlB("wait", "--for=condition=Ready", `pod/${STRANGER}`, "--timeout=120s");
        assert.equal(upcheckFrom(STRANGER, STRANGER, clusterB), "refused");
    });

    it("its node runs, is connected by every clusterA and clusterB node, and follows the chain", async function () {
        this.timeout(15 * MINUTE);
        needsDeployed();
        const pod = names.pod(NODE);
        const console = (js: string) => {
            const out = kubectlB("exec", pod, "-c", "quorum", "--", "geth", "attach", "--exec", `console.log("QJSON " + JSON.stringify(${js}))`, `${PATHS.quorumDataDir}/geth.ipc`);
            const line = /^QJSON (.*)$/m.exec(out);
            return line ? JSON.parse(line[1]) : undefined;
        };
        await waitFor(`${pod} Ready`, 5 * MINUTE, async () => (kubectlB("get", "pod", pod, "-o", "jsonpath={.status.containerStatuses[*].ready}").split(" ").every((r) => r === "true") ? true : undefined), 2000);
        const lab = await realNodes();
        const clusterA = lab.filter((n) => n.cluster === "a");
        const want = lab.map((n) => n.enodeId).sort();
        // admin.peers[].id is a hash of the key; the enode URL carries the public key partners export.
        const peersOfLibraryNode = () => ((console("admin.peers") as { enode: string }[] | undefined) ?? []).map((p) => parseEnodeUrl(p.enode, `${NODE}: admin.peers[].enode`).enodeId);
        await waitFor(`${NODE} connected to all ${want.length} nodes of clusterA and clusterB`, 5 * MINUTE, async () => {
            const ids = peersOfLibraryNode();
            return want.every((id) => ids.includes(id)) ? true : undefined;
        }, 3000);
        const own = ((await example.outputs()).externalNodes.value as ExternalNodesDocument).nodes[0].enodeId;
        for (const n of lab) assert.ok(peerEnodeIds(n).includes(own), `${n.name} is connected to ${NODE}`);
        const head = gethValue<number>(clusterA[0], "eth.blockNumber");
        const caughtUp = await waitFor(`${NODE} at block ${head}`, 5 * MINUTE, async () => {
            const h = console("eth.blockNumber") as number | undefined;
            return h !== undefined && h >= head ? h : undefined;
        }, 3000);
        assert.equal(console(`eth.getBlock(${head}).hash`), gethValue<string>(clusterA[0], `eth.getBlock(${head}).hash`), `the same block ${head} (${NODE} at ${caughtUp})`);
        // Restarts would mean the generated flags or genesis were refused on the first try.
        assert.equal(kubectlB("get", "pod", pod, "-o", "jsonpath={.status.containerStatuses[?(@.name==\"quorum\")].restartCount}"), "0");
    });
});
