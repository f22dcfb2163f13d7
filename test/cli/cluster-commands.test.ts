import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { qctl } from "../helpers/qctl";

/**
 * qctl status and qctl test against a fake kubectl (test/helpers/fake-kubectl.js) whose `exec`
 * really runs the generated scripts against a fake geth and wget: the scripts' and the CLI's
 * logic, not GoQuorum's behaviour.
 */
describe("cli: qctl status and qctl test (fake kubectl)", () => {
    let dir: string;
    let savedPath: string | undefined;
    const pod = (name: string, phase = "Running", ready = true) => ({ metadata: { name }, status: { phase, containerStatuses: [{ ready }, { ready }] } });

    function setup(scenario: object, nodes: Record<string, object>, stack = "") {
        dir = mkdtempSync(join(tmpdir(), "qctl-cluster-"));
        mkdirSync(join(dir, "bin"));
        symlinkSync(resolve(__dirname, "../helpers/fake-kubectl.js"), join(dir, "bin", "kubectl"));
        symlinkSync(resolve(__dirname, "../helpers/fake-geth.js"), join(dir, "bin", "geth"));
        writeFileSync(
            join(dir, "bin", "wget"),
            // Plain sh, no node start-up: qctl status gives wget a 3 s deadline (timeout 3).
            `#!/bin/sh\ngrep -o "\\"$FAKE_POD\\":{[^}]*}" "$FAKE_CHAIN" | grep -q '"tessera":"up"' && echo "I'm up!"\n`,
            { mode: 0o755 },
        );
        writeFileSync(join(dir, "scenario.json"), JSON.stringify(scenario));
        writeFileSync(join(dir, "chain.json"), JSON.stringify({ nodes, txs: [], faults: {}, block: 0 }));
        writeFileSync(
            join(dir, "Pulumi.s.yaml"),
            `config:\n  kubernetes:context: lab-a\n  qstack:org: org-a\n  qstack:nodes:\n    - name: v1\n    - name: v2\n    - name: m1\n      role: member\n      tessera: false\n${stack}`,
        );
        savedPath = process.env.PATH;
        process.env.PATH = `${join(dir, "bin")}:${process.env.PATH}`;
        process.env.FAKE_KUBECTL = dir;
    }
    afterEach(() => {
        process.env.PATH = savedPath;
        delete process.env.FAKE_KUBECTL;
    });
    const calls = () => readFileSync(join(dir, "calls.log"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as string[]);

    describe("status", () => {
        const healthy = { "v1-0": { block: 120, peers: 5, validator: true, tessera: "up" }, "v2-0": { block: 119, peers: 5, validator: true, tessera: "up" }, "m1-0": { block: 120, peers: 5, validator: false } };

        it("reports block, peers, validator and Tessera per node as JSON, exit 0 when all are healthy", async () => {
            setup({ pods: [pod("v1-0"), pod("v2-0"), pod("m1-0")] }, healthy);
            const r = await qctl("status", "-s", "s", "--cwd", dir, "--json");
            assert.equal(r.code, 0, r.err);
            const rows = JSON.parse(r.out);
            assert.deepEqual(rows.map((x: any) => [x.node, x.block, x.peers, x.validator, x.tessera, x.healthy]), [
                ["v1", 120, 5, true, "up", true],
                ["v2", 119, 5, true, "up", true],
                ["m1", 120, 5, false, "n/a", true],
            ]);
        });

        it("uses the stack's kube context and namespace, and execs into the geth container", async () => {
            setup({ pods: [pod("v1-0"), pod("v2-0"), pod("m1-0")] }, healthy);
            await qctl("status", "-s", "s", "--cwd", dir);
            const exec = calls().find((c) => c.includes("exec"))!;
            assert.deepEqual(exec.slice(0, 8), ["--context", "lab-a", "-n", "org-a", "exec", exec[5], "-c", "quorum"]);
        });

        it("prints a table and exits 1 naming what is wrong: a Tessera down, a pod pending, an exec that fails", async () => {
            setup({ pods: [pod("v1-0"), pod("v2-0", "Pending", false), pod("m1-0")], execFail: ["m1-0"] }, { ...healthy, "v1-0": { ...healthy["v1-0"], tessera: "down" } });
            const r = await qctl("status", "-s", "s", "--cwd", dir);
            assert.equal(r.code, 1);
            const lines = r.out.trim().split("\n");
            assert.match(lines[0], /^NODE\s+ROLE\s+POD\s+BLOCK\s+PEERS\s+VALIDATOR\s+TESSERA\s+RECONCILER\s+PROBLEM$/);
            assert.match(lines[1], /^v1\s+validator\s+Running\s+120\s+5\s+yes\s+down\s+not-run$/);
            assert.match(lines[2], /^v2\s+validator\s+Pending \(not ready\)\s+-\s+-\s+-\s+down\s+-\s+pod v2-0 is Pending$/);
            assert.match(lines[3], /^m1\s+member\s+Running\s+-\s+-\s+-\s+n\/a\s+-\s+exec failed: error: unable to upgrade connection/);
        });

        it("reads each pod's reconciler status file: a failing reconciler is named with its error and makes the exit 1", async () => {
            setup({ pods: [pod("v1-0"), pod("v2-0"), pod("m1-0")] }, healthy);
            const podTmp = (p: string) => { const d = join(dir, "pods", p, "tmp"); mkdirSync(d, { recursive: true }); return d; };
            writeFileSync(join(podTmp("v1-0"), "qstack-reconcile.status"), "ok 1764580000 peers=5 added=0 removed=0 votes=0 waiting=0 discarded=0\n");
            writeFileSync(join(podTmp("v2-0"), "qstack-reconcile.status"), "failed 1764580010 TypeError: Value is not an object: 0x81\n");
            const r = await qctl("status", "-s", "s", "--cwd", dir);
            assert.equal(r.code, 1);
            const lines = r.out.trim().split("\n");
            assert.match(lines[1], /^v1\s+validator\s+Running\s+120\s+5\s+yes\s+up\s+ok$/);
            assert.match(lines[2], /^v2\s+validator\s+Running\s+119\s+5\s+yes\s+up\s+failed\s+reconciler failing: TypeError: Value is not an object: 0x81$/);
            const rows = JSON.parse((await qctl("status", "-s", "s", "--cwd", dir, "--json")).out);
            assert.deepEqual(rows[1].reconciler, { state: "failed", at: 1764580010, detail: "TypeError: Value is not an object: 0x81" });
            assert.equal(rows[1].healthy, false);
            assert.equal(rows[0].healthy, true);
        });

        it("says a Tessera it could not ask about is unknown, not down, and keeps kubelet URLs out of the message", async () => {
            setup({ pods: [pod("v1-0"), pod("v2-0"), pod("m1-0")], execFail: ["v1-0"] }, healthy);
            const row = JSON.parse((await qctl("status", "-s", "s", "--cwd", dir, "--json")).out)[0];
            assert.equal(row.tessera, "unknown");
            assert.doesNotMatch(row.error, /https?:/);
        });

        it("reports a node whose pod does not exist as missing", async () => {
            setup({ pods: [pod("v1-0"), pod("v2-0")] }, healthy);
            const r = await qctl("status", "-s", "s", "--cwd", dir, "--json");
            assert.equal(r.code, 1);
            assert.equal(JSON.parse(r.out)[2].pod, "missing");
        });
    });

    describe("test", () => {
        const stack = "  qstack:acceptanceTest:\n    enabled: true\n";

        it("creates a run from the CronJob template, waits for Complete, prints the log and PASS, exit 0", async () => {
            setup({ jobPolls: 2, jobResult: "Complete", jobReason: "CompletionsReached", log: "qstack-acceptance: RESULT pass\n" }, {}, stack);
            const r = await qctl("test", "-s", "s", "--cwd", dir, "--poll-seconds", "0");
            assert.equal(r.code, 0, r.err);
            assert.match(r.out, /qstack-acceptance: RESULT pass\nPASS: job qstack-acceptance-\d{14} \(CompletionsReached\)/);
            const create = calls().find((c) => c.includes("create"))!;
            assert.deepEqual(create.slice(4, 7), ["create", "job", "--from=cronjob/qstack-acceptance"]);
        });

        it("reports a Failed run as FAIL with exit 1, and as JSON with --json", async () => {
            setup({ jobResult: "Failed", jobReason: "BackoffLimitExceeded", log: "qstack-acceptance: FAIL private: non-party m1\n" }, {}, stack);
            const r = await qctl("test", "-s", "s", "--cwd", dir, "--poll-seconds", "0", "--json");
            assert.equal(r.code, 1);
            const result = JSON.parse(r.out);
            assert.equal(result.result, "fail");
            assert.equal(result.reason, "BackoffLimitExceeded");
            assert.match(result.log, /non-party m1/);
        });

        it("refuses to run when the stack has no acceptance test deployed, before touching the cluster", async () => {
            setup({}, {});
            const r = await qctl("test", "-s", "s", "--cwd", dir);
            assert.equal(r.code, 2);
            assert.match(r.err, /qstack:acceptanceTest.enabled: the stack has no acceptance test deployed \(got false\); allowed: set it to true and run pulumi up first/);
            assert.throws(() => calls());
        });

        it("says why when the run cannot be created", async () => {
            setup({ createError: 'Error from server (NotFound): cronjobs.batch "qstack-acceptance" not found' }, {}, stack);
            const r = await qctl("test", "-s", "s", "--cwd", dir);
            assert.equal(r.code, 1);
            assert.match(r.err, /cronjobs.batch "qstack-acceptance" not found/);
        });
    });
});
