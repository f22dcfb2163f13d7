/**
 * Issue 15's "done when": from a fresh clone, `qctl render` writes both lab organizations'
 * complete networks with no cluster at all. The lab's own stack files (clusterA founds, clusterB
 * joins), in a new backend, never deployed; the kubeconfig they name does not exist, so any
 * cluster contact would fail. Each organization gives what a GitOps team must decide up front:
 * the node IP partners dial and pinned NodePorts (a GitOps apply cannot report allocated ones).
 */
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { dump, load } from "js-yaml";
import { CLUSTERS, enterLab, prepareProject, REPO, toolchainPath, type ClusterName } from "../../lab/lab-env";
import { assertSameRender, filesUnder } from "./render-output";

const scratch = mkdtempSync(join(tmpdir(), "qstack-render-fresh-"));
const projectDir = join(scratch, "project");
const out = (name: string) => join(scratch, "out", name);
const noKubeconfig = join(scratch, "no-such-kubeconfig");
const A = CLUSTERS.a.stack;
const B = CLUSTERS.b.stack;

/** What each organization decides for a render before any deployment: addresses only written into files, never dialled. */
const DECIDED: Record<ClusterName, { nodeIp: string; firstPort: number }> = {
    a: { nodeIp: "127.0.30.1", firstPort: 31100 },
    b: { nodeIp: "127.0.30.2", firstPort: 31200 },
};

function qctl(...args: string[]): { status: number | null; stderr: string } {
    const r = spawnSync(process.execPath, [join(REPO, "bin", "qctl"), ...args, "--cwd", projectDir], { encoding: "utf8", env: { ...process.env, KUBECONFIG: noKubeconfig } });
    return { status: r.status, stderr: r.stderr };
}
const pulumi = (...args: string[]) => execFileSync("pulumi", args, { cwd: projectDir, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, KUBECONFIG: noKubeconfig } });

const json = (dir: string, file: string) => JSON.parse(readFileSync(join(dir, file), "utf8"));
const enodeIds = (urls: string[]) => urls.map((u) => /^enode:\/\/([0-9a-f]{128})@/.exec(u)?.[1]).sort();

describe("lab: qctl render of the lab's two organizations from a fresh clone, no cluster (issue 15)", () => {
    const env = { ...process.env };

    before(function () {
        enterLab(toolchainPath(["pulumi", "pulumi-random", "pulumi-kubernetes"]), join(scratch, "state"));
        prepareProject(projectDir, () => noKubeconfig);
        for (const [cluster, { stack }] of Object.entries(CLUSTERS) as [ClusterName, { stack: string }][]) {
            const file = join(projectDir, `Pulumi.${stack}.yaml`);
            const doc = load(readFileSync(file, "utf8")) as { config: Record<string, any> };
            const { nodeIp, firstPort } = DECIDED[cluster];
            doc.config["qstack:nodeIp"] = nodeIp;
            doc.config["qstack:nodes"] = doc.config["qstack:nodes"].map((n: object, i: number) => ({ ...n, nodePorts: { p2p: firstPort + 2 * i, tessera: firstPort + 2 * i + 1 } }));
            writeFileSync(file, dump(doc));
            pulumi("stack", "init", stack, "--non-interactive");
        }
    });

    after(() => {
        for (const key of Object.keys(process.env)) if (!(key in env)) delete process.env[key];
        Object.assign(process.env, env);
        rmSync(scratch, { recursive: true, force: true });
    });

    it("refuses a never-deployed stack without --create-keys, naming its nodes, and writes nothing", () => {
        const r = qctl("render", "-s", A, "-o", out("refused"));
        assert.equal(r.status, 2, r.stderr);
        assert.match(r.stderr, /-s: the stack's state holds no keys for a-validator1, a-validator2, a-validator3, a-member1 .*--create-keys/);
        assert.throws(() => readdirSync(out("refused")), /ENOENT/);
    });

    it("with --create-keys stores the founder's keys as secrets in its state, and no Kubernetes object", () => {
        const r = qctl("render", "-s", A, "-o", out("a-first"), "--create-keys");
        assert.equal(r.status, 0, r.stderr);
        const state = JSON.parse(pulumi("stack", "export", "--stack", A));
        const types = new Set<string>(state.deployment.resources.map((x: { type: string }) => x.type));
        // The engine registers providers whatever the targets (configuration, not objects), and reads the partner reference.
        assert.deepEqual([...types].filter((t) => !t.startsWith("pulumi:providers:")).sort(), [
            "pulumi:pulumi:Stack",
            "pulumi:pulumi:StackReference",
            "qstack:index:NodeKeys",
            "qstack:index:QuorumOrganization",
            "random:index/randomPassword:RandomPassword",
        ]);
        const seeds = state.deployment.resources.filter((x: { type: string }) => x.type.startsWith("random:"));
        assert.equal(seeds.length, 4);
        for (const s of seeds) assert.equal(s.outputs.result["4dabf18193072939515e22adb298388d"], "1b47061264138c4ac30d75fd1eb44270", "each seed is a Pulumi secret");
        assert.deepEqual(json(out("a-first"), "render.json").pendingPartners, [`organization/qstack/${B}`], "clusterB has no outputs yet");
    });

    it("renders the joiner complete: the founder's genesis byte for byte, and both organizations' nodes", () => {
        const r = qctl("render", "-s", B, "-o", out("b"), "--create-keys");
        assert.equal(r.status, 0, r.stderr);
        const b = out("b");
        assert.equal(readFileSync(join(b, "network", "genesis.json"), "utf8"), readFileSync(join(out("a-first"), "network", "genesis.json"), "utf8"));
        const a = json(out("a-first"), "externalNodes.json");
        const own = json(b, "externalNodes.json");
        assert.deepEqual(own.nodes.map((n: { p2pNodePort: number }) => n.p2pNodePort), [31200, 31202]);
        assert.deepEqual(enodeIds(json(b, "network/static-nodes.json")), enodeIds([...a.nodes, ...own.nodes].map((n: { enodeUrl: string }) => n.enodeUrl)));
        assert.deepEqual(json(b, "render.json").pendingPartners, []);
        assert.deepEqual(filesUnder(b).filter((f) => f.startsWith("network/tessera/")), ["network/tessera/b-member1.json", "network/tessera/b-validator1.json"]);
    });

    it("re-renders the founder with the joiner's nodes, its genesis unchanged, and byte-identically when nothing changed", () => {
        for (const name of ["a", "a-again"]) assert.equal(qctl("render", "-s", A, "-o", out(name)).status, 0);
        const a = out("a");
        assert.deepEqual(json(a, "render.json").pendingPartners, []);
        assert.equal(readFileSync(join(a, "network", "genesis.json"), "utf8"), readFileSync(join(out("a-first"), "network", "genesis.json"), "utf8"));
        const b = json(out("b"), "externalNodes.json");
        const permissioned = enodeIds(json(a, "network/permissioned-nodes.json"));
        for (const n of b.nodes) assert.ok(permissioned.includes(n.enodeId), `${n.name} is permissioned`);
        assertSameRender(out("a-again"), a);
        assert.equal(filesUnder(a).filter((f) => f.startsWith("manifests/org-a/statefulset-")).length, 4);
    });
});
