import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { qctl } from "../helpers/qctl";


describe("cli: qctl init and node add|rm|ls", () => {
    let dir: string;
    beforeEach(() => {
        dir = mkdtempSync(join(tmpdir(), "qctl-"));
    });
    const file = () => join(dir, "Pulumi.dev.yaml");

    it("init writes a minimal, valid stack file (golden)", async () => {
        const r = await qctl("init", "-s", "dev", "--org", "org-x", "--validators", "2", "--members", "1", "--cwd", dir);
        assert.equal(r.code, 0, r.err);
        assert.equal(
            readFileSync(file(), "utf8"),
            `config:
  qstack:org: org-x
  qstack:nodes:
    - name: org-x-validator1
    - name: org-x-validator2
    - name: org-x-member1
      role: member
`,
        );
        assert.equal(r.out.trim(), file());
    });

    it("init --monitoring --explorer --acceptance-test turns the add-ons on, keeping other fields of those keys", async () => {
        writeFileSync(file(), `config:\n  qstack:org: org-x\n  qstack:nodes:\n    - name: v1\n  qstack:monitoring:\n    serviceMonitor: true # keep me\n`);
        const r = await qctl("init", "-s", "dev", "--monitoring", "--explorer", "--acceptance-test", "--cwd", dir);
        assert.equal(r.code, 0, r.err);
        assert.equal(
            readFileSync(file(), "utf8"),
            `config:
  qstack:org: org-x
  qstack:nodes:
    - name: v1
  qstack:monitoring:
    serviceMonitor: true # keep me
    prometheus: true
    grafana: true
  qstack:explorer:
    enabled: true
  qstack:acceptanceTest:
    enabled: true
`,
        );
    });

    it("init keeps comments, unknown keys and existing nodes of an existing file", async () => {
        writeFileSync(file(), `# our stack\nconfig:\n  kubernetes:context: prod # keep me\n  qstack:org: org-x\n  qstack:nodes:\n    - name: v1\n  custom:thing: 42\n`);
        const r = await qctl("init", "-s", "dev", "--chain-id", "4242", "--cwd", dir);
        assert.equal(r.code, 0, r.err);
        const text = readFileSync(file(), "utf8");
        for (const kept of ["# our stack", "kubernetes:context: prod # keep me", "custom:thing: 42", "- name: v1"]) assert.ok(text.includes(kept), kept);
        assert.ok(text.includes("qstack:chainId: 4242"));
        assert.ok(!text.includes("validator1"));
    });

    it("refuses removing the last validator while members remain", async () => {
        await qctl("init", "-s", "dev", "--org", "org-x", "--validators", "1", "--members", "1", "--cwd", dir);
        const before = readFileSync(file(), "utf8");
        const r = await qctl("node", "rm", "org-x-validator1", "-s", "dev", "--cwd", dir);
        assert.equal(r.code, 1);
        assert.match(r.err, /qbft needs at least one node with role validator/);
        assert.equal(readFileSync(file(), "utf8"), before);
    });

    it("node add appends a node; node ls lists it; node rm removes it", async () => {
        await qctl("init", "-s", "dev", "--org", "org-x", "--validators", "1", "--members", "0", "--cwd", dir);
        assert.equal((await qctl("node", "add", "m9", "--role", "member", "--no-tessera", "-s", "dev", "--cwd", dir)).code, 0);
        const ls = await qctl("node", "ls", "-s", "dev", "--json", "--cwd", dir);
        assert.deepEqual(JSON.parse(ls.out), [
            { name: "org-x-validator1", role: "validator", tessera: true },
            { name: "m9", role: "member", tessera: false },
        ]);
        assert.equal((await qctl("node", "rm", "m9", "-s", "dev", "--cwd", dir)).code, 0);
        assert.equal((await qctl("node", "ls", "-s", "dev", "--cwd", dir)).out, "org-x-validator1\tvalidator\ttessera\n");
    });

    for (const [what, setup, argv, pattern] of [
        ["a duplicate node name", true, ["node", "add", "org-x-validator1"], /duplicate node name/],
        ["an invalid node name", true, ["node", "add", "Bad_Name"], /invalid node name/],
        ["removing the only node", true, ["node", "rm", "org-x-validator1"], /qstack:nodes: at least one node is required/],
        ["removing an unknown node", true, ["node", "rm", "ghost"], /no such node.*allowed: org-x-validator1/],
        ["an unknown role", true, ["node", "add", "n2", "--role", "boss"], /--role: unknown role.*allowed: validator, member/],
        ["init without --org off a terminal", false, ["init"], /--org: required/],
        ["init with chain id 1", false, ["init", "--org", "o", "--chain-id", "1"], /qstack:chainId: chain id 1/],
    ] as const) {
        it(`refuses ${what} with a clear error and leaves the file byte for byte as it was`, async () => {
            if (setup) await qctl("init", "-s", "dev", "--org", "org-x", "--validators", "1", "--members", "0", "--cwd", dir);
            let before: string | undefined;
            try {
                before = readFileSync(file(), "utf8");
            } catch {
                before = undefined;
            }
            const r = await qctl(...argv, "-s", "dev", "--cwd", dir);
            assert.notEqual(r.code, 0);
            assert.equal(r.out, "");
            assert.match(r.err, pattern);
            let after: string | undefined;
            try {
                after = readFileSync(file(), "utf8");
            } catch {
                after = undefined;
            }
            assert.equal(after, before);
        });
    }
});

describe("cli: qctl geth attach|exec", () => {
    let dir: string;
    before(async () => {
        dir = mkdtempSync(join(tmpdir(), "qctl-geth-"));
        writeFileSync(join(dir, "Pulumi.prod.yaml"), "config:\n  kubernetes:context: org-a-prod\n  qstack:org: org-a\n  qstack:namespace: quorum\n  qstack:nodes:\n    - name: v1\n");
    });

    it("attaches over the pod's IPC socket in the stack's namespace and context", async () => {
        const r = await qctl("geth", "attach", "v1", "-s", "prod", "--cwd", dir, "--print");
        assert.equal(r.out.trim(), "kubectl --context org-a-prod -n quorum exec -it v1-0 -c quorum -- geth attach /data/quorum/geth.ipc");
    });

    it("execs one expression", async () => {
        const r = await qctl("geth", "exec", "v1", "eth.blockNumber", "-s", "prod", "--cwd", dir, "--print");
        assert.equal(r.out.trim(), "kubectl --context org-a-prod -n quorum exec v1-0 -c quorum -- geth attach --exec eth.blockNumber /data/quorum/geth.ipc");
    });

    it("refuses an unknown node, listing the known ones", async () => {
        const r = await qctl("geth", "exec", "v9", "eth.blockNumber", "-s", "prod", "--cwd", dir, "--print");
        assert.equal(r.code, 2);
        assert.match(r.err, /NODE: no such node in the stack \(got "v9"\); allowed: v1/);
    });
});
