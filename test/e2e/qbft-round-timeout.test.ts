/**
 * `maxRequestTimeoutSeconds` on real GoQuorum 24.4.1 (the lab toolchain's geth, built from the
 * upstream source), as host processes on loopback (lab/chain/host-network.ts) with the genesis
 * qstack writes. Four validators (f = 1, a quorum is 3) stall, some return, and the time to
 * the next block is measured, with and without a cap.
 *
 * Returning validators start at round 0. They move to a higher round early only when f + 1
 * validators have sent ROUND-CHANGE for rounds above theirs (qbft/core/roundchange.go);
 * otherwise they climb one round per timeout.
 * - Two survivors (f + 1) pull the returning ones up with their next ROUND-CHANGE, sent when
 *   their current round times out: uncapped, that wait doubles with every round of the stall;
 *   capped, it is at most the cap. The cap's purpose.
 * - One survivor ahead cannot pull anyone up, and with every timeout equal to the cap the
 *   others catch it only when the timers' phases happen to line up: three live validators of
 *   four, a quorum, sealed again after 58 s (this suite with a 60 s window) and 195 s, and not
 *   within 240 s (a throwaway script on HostGethNetwork, survivor alone 11 s and 40 s; 4 s cap).
 *   Uncapped, the returning validators' shorter timeouts let them catch up (30 s; 63 s after a
 *   40 s stall). The cap's price, and why qstack sets none unless asked. The suite asserts only
 *   that the capped recovery is not bounded by the cap: no block within five times it.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sleep, waitFor } from "../../lab/chain/deadline";
import { HostGethNetwork, type HostNode } from "../../lab/chain/host-network";
import { toolchainPath } from "../../lab/lab-env";

/** The smallest base timeout qstack accepts, so the doubling shows within a minute. */
const REQUEST_TIMEOUT_SECONDS = 1;
const CAP_SECONDS = 4;
const MINUTE = 60_000;

/** Seconds from the return of the stopped validators to the next block; undefined when none came within the window. */
type Recovery = number | undefined;

interface Stall {
    readonly basePort: number;
    readonly maxRequestTimeoutSeconds: number | undefined;
    /** Validators (of v1…v4) that stop; v1 always survives. */
    readonly stop: readonly string[];
    /** Of those, the ones that return once v1 has entered `stalledRound`. */
    readonly returning: readonly string[];
    readonly stalledRound: number;
    readonly windowMs: number;
}

interface Outcome {
    readonly recovery: Recovery;
    /** v1's round and a returning validator's, at the end of the window (for the report). */
    readonly rounds: { readonly survivor: number; readonly returning: number };
    /** geth's "Possible request timeout overflow" errors (core.go logs them when a cap misbehaves). */
    readonly overflowErrors: number;
}

async function stall(s: Stall): Promise<Outcome> {
    const net = new HostGethNetwork({
        dir: join(tmpdir(), `qstack-e2e-round-${s.basePort}-${process.pid}`),
        gethBinDir: toolchainPath(["quorum"]).split(":")[0],
        basePort: s.basePort,
        blockPeriodSeconds: 1,
        requestTimeoutSeconds: REQUEST_TIMEOUT_SECONDS,
        maxRequestTimeoutSeconds: s.maxRequestTimeoutSeconds,
    });
    try {
        const validators = ["v1", "v2", "v3", "v4"].map((n) => net.add(n, "validator"));
        const genesis = net.genesisOf(validators);
        for (const n of validators) await net.init(n, genesis, validators);
        for (const n of validators) await net.start(n);
        const survivor = net.node("v1");
        const height = () => net.value<number>(survivor, "eth.blockNumber");
        await waitFor("the four validators to seal block 3", MINUTE, async () => ((await height()) >= 3 ? true : undefined));

        for (const name of s.stop) await net.stopNode(net.node(name));
        const stalled = await height();
        const next = stalled + 1;
        await waitFor(`v1 to enter round ${s.stalledRound} of block ${next}`, 3 * MINUTE, async () => (roundOf(net, survivor, next) >= s.stalledRound ? true : undefined));
        assert.equal(await height(), stalled, "the survivors are no quorum");

        for (const name of s.returning) await net.start(net.node(name));
        const returned = Date.now();
        let recovery: Recovery;
        while (Date.now() - returned < s.windowMs) {
            if ((await height()) > stalled) {
                recovery = (Date.now() - returned) / 1000;
                break;
            }
            await sleep(250);
        }
        return {
            recovery,
            rounds: { survivor: roundOf(net, survivor, next), returning: roundOf(net, net.node(s.returning[0]), next) },
            overflowErrors: (readFileSync(net.logOf(survivor), "utf8").match(/Possible request timeout overflow/g) ?? []).length,
        };
    } finally {
        await net.stop();
    }
}

/** The highest round a node's log says it started for `block` (geth's "QBFT: start new round"). */
function roundOf(net: HostGethNetwork, node: HostNode, block: number): number {
    const starts = readFileSync(net.logOf(node), "utf8").matchAll(/QBFT: start new round .* next\.round=(\d+) next\.seq=(\d+)/g);
    return Math.max(-1, ...[...starts].filter((m) => Number(m[2]) === block).map((m) => Number(m[1])));
}

const shown = (o: Outcome | undefined) =>
    o === undefined ? "not run" : `${o.recovery === undefined ? "no block" : `block after ${o.recovery.toFixed(1)} s`} (v1 at round ${o.rounds.survivor}, returning at ${o.rounds.returning})`;

describe("QBFT round-timeout cap on real GoQuorum 24.4.1 (host processes on loopback)", function () {
    describe("two of four validators stop, and return once the survivors are at round 5", () => {
        const halves = { stop: ["v3", "v4"], returning: ["v3", "v4"], stalledRound: 5, windowMs: 2 * MINUTE };
        let uncapped: Outcome;
        let capped: Outcome;
        before(async function () {
            uncapped = await stall({ ...halves, basePort: 32400, maxRequestTimeoutSeconds: undefined });
            capped = await stall({ ...halves, basePort: 32440, maxRequestTimeoutSeconds: CAP_SECONDS });
        });
        after(() => console.log(`      uncapped: ${shown(uncapped)}; ${CAP_SECONDS} s cap: ${shown(capped)}`));

        it("without a cap, the returning validators wait for the survivors' doubled round timeout (32 s at round 5)", () => {
            assert.ok(uncapped.recovery !== undefined && uncapped.recovery > 20, shown(uncapped));
        });

        it(`with maxRequestTimeoutSeconds ${CAP_SECONDS}, the chain recovers within the cap, and geth logs no overflow error`, () => {
            assert.ok(capped.recovery !== undefined && capped.recovery < CAP_SECONDS + 4, shown(capped));
            assert.equal(capped.overflowErrors, 0);
        });
    });

    describe("three of four stop, two return once the lone survivor is at round 4 (a quorum is live again)", () => {
        const lone = { stop: ["v2", "v3", "v4"], returning: ["v2", "v3"], stalledRound: 4 };
        let uncapped: Outcome;
        let capped: Outcome;
        before(async function () {
            capped = await stall({ ...lone, basePort: 32480, maxRequestTimeoutSeconds: CAP_SECONDS, windowMs: 5 * CAP_SECONDS * 1000 });
            uncapped = await stall({ ...lone, basePort: 32520, maxRequestTimeoutSeconds: undefined, windowMs: 3 * MINUTE });
        });
        after(() => console.log(`      ${CAP_SECONDS} s cap: ${shown(capped)}; uncapped: ${shown(uncapped)}`));

        it("with the cap, the lone survivor stays rounds ahead and the three seal nothing within five times the cap", () => {
            assert.equal(capped.recovery, undefined, shown(capped));
            assert.ok(capped.rounds.survivor > capped.rounds.returning, shown(capped));
        });

        it("without a cap, the returning validators' shorter timeouts catch up and the chain recovers", () => {
            assert.ok(uncapped.recovery !== undefined, shown(uncapped));
        });
    });
});
