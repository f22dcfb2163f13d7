import assert from "node:assert/strict";
import { buildValidatorPdbSpec, faultTolerance } from "../../../../core/k8s/nodes/disruption-budget";

describe("core/k8s/nodes/disruption-budget", () => {
    for (const [consensus, n, f] of [
        ["qbft", 1, 0], ["qbft", 3, 0], ["qbft", 4, 1], ["qbft", 6, 1], ["qbft", 7, 2], ["ibft", 10, 3],
        ["raft", 2, 0], ["raft", 3, 1], ["raft", 5, 2], ["clique", 4, 1],
    ] as const) {
        it(`${consensus} with ${n} validators tolerates ${f} down`, () => assert.equal(faultTolerance(consensus, n), f));
    }
    it("selects only this org's validators", () => {
        assert.deepEqual(buildValidatorPdbSpec("org-a", 1).selector, {
            matchLabels: { "app.kubernetes.io/part-of": "qstack", "qstack.io/org": "org-a", "app.kubernetes.io/component": "validator" },
        });
    });
});
