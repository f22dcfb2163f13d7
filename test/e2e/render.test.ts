/**
 * Issue 15 in the lab: `qctl render` against the real engine's state and a real API server. A
 * joiner of clusterA is deployed by `pulumi up`, rendered, destroyed, and its rendered manifests
 * applied by kubectl: the API server then holds the same objects as after `pulumi up`.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { dump } from "js-yaml";
import { parse } from "yaml";
import { REPO } from "../../lab/lab-env";
import { simulatedLab } from "./lab-helpers";
import { assertSameRender, filesUnder } from "./render-output";

const { kubectl, kubectlJson, stack, projectDir: PROJECT_DIR, clusters } = simulatedLab;
const STACK = "renderA";
const NS = "org-render";

/** qctl as an operator runs it: its own process, the lab's Pulumi environment. */
function qctl(...args: string[]): { status: number | null; stderr: string } {
    const r = spawnSync(process.execPath, [join(REPO, "bin", "qctl"), ...args], { encoding: "utf8" });
    return { status: r.status, stderr: r.stderr };
}

/** Destroys a suite's stack, its namespace and its stack file, whatever state the suite left them in. */
async function removeStack(name: string, namespace: string): Promise<void> {
    kubectl("a", "delete", "namespace", namespace, "--ignore-not-found", "--wait=false");
    const s = await stack(name);
    await s.destroy();
    await s.workspace.removeStack(name);
}

/** An object as the API server holds it, without what the server assigns (ids, versions, IPs, status). */
function comparable(o: any): any {
    const { uid, resourceVersion, creationTimestamp, generation, managedFields, ...metadata } = o.metadata;
    const annotations = { ...(metadata.annotations ?? {}) };
    delete annotations["kubectl.kubernetes.io/last-applied-configuration"];
    const spec = o.spec ? { ...o.spec } : undefined;
    if (o.kind === "Service") {
        delete spec.clusterIP;
        delete spec.clusterIPs;
    }
    const { status, ...rest } = o;
    return { ...rest, metadata: { ...metadata, annotations }, ...(spec ? { spec } : {}) };
}

describe("lab: qctl render (issue 15)", () => {
    const scratch = mkdtempSync(join(tmpdir(), "qstack-render-e2e-"));
    const out = (name: string) => join(scratch, name);
    let deployed: Map<string, any>;
    let exported: unknown;

    before(async function () {
        await simulatedLab.converged();
        writeFileSync(
            join(PROJECT_DIR, `Pulumi.${STACK}.yaml`),
            dump({
                config: {
                    "qstack:org": NS,
                    "qstack:nodeIp": clusters.a.nodeIp,
                    "qstack:nodes": [{ name: "r-validator1" }, { name: "r-member1", role: "member" }],
                    "qstack:partners": ["organization/qstack/clusterA"],
                    "qstack:genesisFrom": "organization/qstack/clusterA",
                    "kubernetes:kubeconfig": simulatedLab.kubeconfigOf("a"),
                },
            }),
        );
        const s = await stack(STACK).catch(() => import("@pulumi/pulumi/automation").then((a) => a.LocalWorkspace.createStack({ stackName: STACK, workDir: PROJECT_DIR })));
        await s.up();
        exported = (await s.outputs()).externalNodes.value;
    });

    after(async function () {
        try {
            await removeStack(STACK, NS);
        } finally {
            rmSync(scratch, { recursive: true, force: true });
            rmSync(join(PROJECT_DIR, `Pulumi.${STACK}.yaml`), { force: true });
        }
    });

    it("writes the manifests, network files and the export pulumi up produced, no key material, and the Secrets to provide", () => {
        const r = qctl("render", "-s", STACK, "-o", out("plain"), "--cwd", PROJECT_DIR);
        assert.equal(r.status, 0, r.stderr);
        const files = filesUnder(out("plain"));
        assert.ok(files.includes("manifests/org-render/statefulset-r-validator1.yaml"));
        assert.ok(files.includes("network/tessera/r-member1.json"));
        assert.ok(!files.some((f) => f.includes("secret-")), "no Secret manifests");
        assert.deepEqual(JSON.parse(readFileSync(join(out("plain"), "externalNodes.json"), "utf8")), exported, "the export equals the stack's output");
        const founderGenesis = kubectlJson("a", "-n", "org-a", "get", "configmap", "qstack-genesis").data["genesis.json"];
        assert.equal(readFileSync(join(out("plain"), "network", "genesis.json"), "utf8").trimEnd(), founderGenesis.trimEnd(), "the founder's genesis, byte for byte");
        const index = JSON.parse(readFileSync(join(out("plain"), "render.json"), "utf8"));
        const keys = ["account-keystore.json", "account-password", "nodekey", "tm.key", "tm.pub"];
        assert.deepEqual(index.secrets.omitted.map((s: { keys: string[] }) => s.keys), [keys, keys]);
        for (const s of index.secrets.omitted) assert.equal(kubectlJson("a", "-n", NS, "get", "secret", s.name).kind, "Secret", "names the Secret pulumi up created");
    });

    it("renders the same state to byte-identical files, and refuses a directory that holds them unless --force", () => {
        assert.equal(qctl("render", "-s", STACK, "-o", out("again"), "--cwd", PROJECT_DIR).status, 0);
        assertSameRender(out("again"), out("plain"));
        const refused = qctl("render", "-s", STACK, "-o", out("plain"), "--cwd", PROJECT_DIR);
        assert.equal(refused.status, 2);
        assert.match(refused.stderr, /-o: directory already holds/);
        assert.equal(qctl("render", "-s", STACK, "-o", out("plain"), "--cwd", PROJECT_DIR, "--force").status, 0);
    });

    it("with --include-secrets writes the Secrets owner-only and warns", () => {
        const r = qctl("render", "-s", STACK, "-o", out("secrets"), "--cwd", PROJECT_DIR, "--include-secrets");
        assert.equal(r.status, 0, r.stderr);
        assert.match(r.stderr, /warning: writing private keys/);
        assert.equal(statSync(out("secrets")).mode & 0o777, 0o700);
        const secrets = filesUnder(out("secrets")).filter((f) => f.includes("/secret-"));
        assert.equal(secrets.length, 2);
        for (const f of secrets) assert.equal(statSync(join(out("secrets"), f)).mode & 0o777, 0o600);
    });

    it("applied by kubectl after the stack is destroyed, gives the API server the same objects pulumi up gave it", async () => {
        const manifests = filesUnder(out("secrets")).filter((f) => f.startsWith("manifests/")).map((f) => parse(readFileSync(join(out("secrets"), f), "utf8")));
        const get = (m: any) => comparable(kubectlJson("a", ...(m.metadata.namespace ? ["-n", m.metadata.namespace] : []), "get", `${m.kind}.${m.apiVersion.includes("/") ? m.apiVersion.split("/")[0] : ""}`.replace(/\.$/, ""), m.metadata.name));
        deployed = new Map(manifests.map((m) => [`${m.kind}/${m.metadata.name}`, get(m)]));
        await (await stack(STACK)).destroy();
        kubectl("a", "delete", "namespace", NS, "--ignore-not-found", "--wait=true", "--timeout=120s");
        kubectl("a", "apply", "-f", join(out("secrets"), "manifests", "_cluster"));
        kubectl("a", "apply", "-f", join(out("secrets"), "manifests", NS));
        for (const m of manifests) assert.deepEqual(get(m), deployed.get(`${m.kind}/${m.metadata.name}`), `${m.kind} ${m.metadata.name}`);
        assert.equal(manifests.length, deployed.size);
    });
});

describe("lab: a render made before the first pulumi up is what pulumi up then deploys (issue 15)", () => {
    const FRESH = "renderFresh";
    const FRESH_NS = "org-fresh";
    const scratch = mkdtempSync(join(tmpdir(), "qstack-render-first-"));
    const out = (name: string) => join(scratch, name);

    before(async function () {
        await simulatedLab.converged();
        // NodePorts a GitOps team pins up front: ones the lab's cluster has not allocated.
        const taken = new Set<number>(kubectlJson("a", "get", "services", "-A").items.flatMap((s: any) => (s.spec.ports ?? []).map((p: any) => p.nodePort)));
        const [min, max] = clusters.a.nodePorts;
        const free = Array.from({ length: max - min + 1 }, (_, i) => max - i).filter((p) => !taken.has(p));
        writeFileSync(
            join(PROJECT_DIR, `Pulumi.${FRESH}.yaml`),
            dump({
                config: {
                    "qstack:org": FRESH_NS,
                    "qstack:nodeIp": clusters.a.nodeIp,
                    "qstack:nodes": [
                        { name: "f-validator1", nodePorts: { p2p: free[0], tessera: free[1] } },
                        { name: "f-member1", role: "member", nodePorts: { p2p: free[2], tessera: free[3] } },
                    ],
                    "qstack:partners": ["organization/qstack/clusterA"],
                    "qstack:genesisFrom": "organization/qstack/clusterA",
                    "kubernetes:kubeconfig": simulatedLab.kubeconfigOf("a"),
                },
            }),
        );
        await import("@pulumi/pulumi/automation").then((a) => a.LocalWorkspace.createStack({ stackName: FRESH, workDir: PROJECT_DIR }));
    });

    after(async function () {
        try {
            await removeStack(FRESH, FRESH_NS);
        } finally {
            rmSync(scratch, { recursive: true, force: true });
            rmSync(join(PROJECT_DIR, `Pulumi.${FRESH}.yaml`), { force: true });
        }
    });

    it("renders the never-deployed stack with --create-keys, and the same files byte for byte after pulumi up deployed it", async () => {
        const before = qctl("render", "-s", FRESH, "-o", out("before"), "--cwd", PROJECT_DIR, "--create-keys", "--include-secrets");
        assert.equal(before.status, 0, before.stderr);
        assert.equal(kubectl("a", "get", "namespace", FRESH_NS, "--ignore-not-found").trim(), "", "rendering created nothing in the cluster");
        const s = await stack(FRESH);
        await s.up();
        assert.deepEqual(await simulatedLab.previewChanges(FRESH), {}, "the deployed stack previews empty");
        const after = qctl("render", "-s", FRESH, "-o", out("after"), "--cwd", PROJECT_DIR, "--include-secrets");
        assert.equal(after.status, 0, after.stderr);
        assertSameRender(out("after"), out("before"));
        assert.deepEqual(JSON.parse(readFileSync(join(out("before"), "externalNodes.json"), "utf8")), (await s.outputs()).externalNodes.value, "the export partners read");
    });
});
