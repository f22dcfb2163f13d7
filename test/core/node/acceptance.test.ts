import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, symlinkSync, writeFileSync, mkdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { acceptanceInitCode } from "../../../core/node/acceptance-contract";
import { buildAcceptanceScript, planAcceptance, type AcceptanceNode, type AcceptancePlan } from "../../../core/node/acceptance";
import { PATHS } from "../../../core/node/layout";

const NODES: AcceptanceNode[] = [
    { name: "validator1", tesseraPublicKey: "BULeR8JyUWhiuuCMU/HLA0Q5pzkYT+cHII3ZKBey3Bo=" },
    { name: "validator2", tesseraPublicKey: "QfeDAys9MPDs2XHExtc84jKGHxZg/aj52DTh0vtA3Xc=" },
    { name: "member1" },
];
const PASSWORD = `pa'ss"w\\rd`;

interface Faults {
    unreachable?: string[];
    behind?: Record<string, boolean>;
    leak?: boolean;
    revert?: boolean;
    pendingPolls?: number;
    wrongPassword?: boolean;
}

/** Runs the generated script with sh, a fake geth on PATH and a fake chain; returns its output. */
function runScript(plan: AcceptancePlan, faults: Faults = {}) {
    const dir = mkdtempSync(join(tmpdir(), "qstack-acceptance-"));
    mkdirSync(join(dir, "bin"));
    symlinkSync(resolve(__dirname, "../../helpers/fake-geth.js"), join(dir, "bin", "geth"));
    mkdirSync(join(dir, "keys"));
    writeFileSync(join(dir, "keys", "account-password"), (faults.wrongPassword ? "wrong" : PASSWORD) + "\n");
    const chain = join(dir, "chain.json");
    const keys = Object.fromEntries(NODES.filter((n) => n.tesseraPublicKey).map((n) => [n.name, n.tesseraPublicKey]));
    writeFileSync(chain, JSON.stringify({ sender: plan.sender, password: PASSWORD, keys, block: 10, txs: [], faults }));
    const script = buildAcceptanceScript(plan).replaceAll(PATHS.keys, join(dir, "keys"));
    try {
        const r = spawnSync("sh", ["-c", script], { env: { ...process.env, PATH: `${join(dir, "bin")}:${process.env.PATH}`, FAKE_CHAIN: chain }, encoding: "utf8", timeout: 20000 });
        return { status: r.status, out: r.stdout + r.stderr, chain: JSON.parse(readFileSync(chain, "utf8")) };
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
}

const plan = (overrides: Partial<AcceptancePlan> = {}): AcceptancePlan => ({
    ...(planAcceptance(NODES, { timeoutSeconds: 1, pollSeconds: 0 }) as AcceptancePlan),
    ...overrides,
});

describe("core/node/acceptance", () => {
    describe("planAcceptance", () => {
        it("sends from the first Tessera node, privately to the next one", () => {
            const p = plan();
            assert.equal(p.sender, "validator1");
            assert.equal(p.recipient.name, "validator2");
        });

        it("in an org with one Tessera node, the private transaction is for the sender alone", () => {
            const p = planAcceptance([NODES[0], NODES[2]], { timeoutSeconds: 1 }) as AcceptancePlan;
            assert.equal(p.recipient.name, "validator1");
        });

        it("refuses a preferred sender without Tessera, and an org without any", () => {
            assert.match(planAcceptance(NODES, { preferred: "member1", timeoutSeconds: 1 }) as string, /member1 does not run Tessera/);
            assert.match(planAcceptance([NODES[2]], { timeoutSeconds: 1 }) as string, /no node runs Tessera/);
        });
    });

    describe("the script, against a fake chain", () => {
        it("passes when the public contract is readable everywhere and the private one only on its parties", () => {
            const r = runScript(plan());
            assert.equal(r.status, 0, r.out);
            assert.match(r.out, /PASS public contract readable on member1/);
            assert.match(r.out, /PASS private contract readable on party validator2/);
            assert.match(r.out, /PASS private contract hidden from member1/);
            assert.match(r.out, /qstack-acceptance: RESULT pass\n$/);
        });

        it("deploys exactly the contract code the EVM test proves, with gas price 0, privateFor the recipient", () => {
            const r = runScript(plan());
            const [pub, priv] = r.chain.txs;
            assert.equal(pub.data, acceptanceInitCode(parseInt(pub.value, 16)));
            assert.equal(pub.gasPrice, 0);
            assert.equal(pub.privateFor, undefined);
            assert.deepEqual(priv.privateFor, [NODES[1].tesseraPublicKey]);
        });

        it("signs with the node's password even when it contains quotes and backslashes", () => {
            assert.equal(runScript(plan()).status, 0);
            const r = runScript(plan(), { wrongPassword: true });
            assert.equal(r.status, 1);
            assert.match(r.out, /FAIL public: validator1 did not accept the transaction: .*could not decrypt/);
        });

        it("fails when a non-party node can read the private contract", () => {
            const r = runScript(plan(), { leak: true });
            assert.equal(r.status, 1);
            assert.match(r.out, /FAIL private: non-party member1 returned 0x0+[0-9a-f]{8} .*expected 0x \(no private state\)/);
            assert.match(r.out, /RESULT fail/);
        });

        it("fails when a transaction reverts", () => {
            const r = runScript(plan(), { revert: true });
            assert.equal(r.status, 1);
            assert.match(r.out, /FAIL public: transaction 0x0+1 was mined but reverted/);
        });

        it("fails when no receipt arrives in time", () => {
            const r = runScript(plan(), { pendingPolls: 1000 });
            assert.equal(r.status, 1);
            assert.match(r.out, /FAIL public: no receipt for 0x0+1 within 1s/);
        });

        it("waits for a node that is behind, then fails it if it stays behind or is unreachable", () => {
            assert.match(runScript(plan(), { behind: { member1: true } }).out, /FAIL public: member1 returned behind/);
            assert.match(runScript(plan(), { unreachable: ["validator2"] }).out, /FAIL public: validator2 returned unreachable/);
        });
    });
});
