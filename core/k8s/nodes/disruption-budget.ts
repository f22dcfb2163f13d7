/**
 * PodDisruptionBudget for an organization's validators: a voluntary disruption (node drain,
 * cluster upgrade) may take down at most as many of them as the consensus tolerates.
 *
 * Tolerated failures f, for N validators in the whole consortium: IBFT/QBFT f = ⌊(N−1)/3⌋
 * (3f+1 ≤ N); raft and clique need a majority, f = ⌊(N−1)/2⌋. With f = 0 no validator may be
 * evicted: a drain then waits, which is the point. The budget is per organization, so two
 * organizations draining at the same moment can still exceed f together; that needs
 * coordination between operators and is documented rather than prevented.
 */
import type * as k8s from "@pulumi/kubernetes";
import type { Consensus } from "../../genesis/genesis";
import { PART_OF } from "../labels";

export function faultTolerance(consensus: Consensus, validators: number): number {
    if (validators <= 0) return 0;
    return consensus === "qbft" || consensus === "ibft" ? Math.floor((validators - 1) / 3) : Math.floor((validators - 1) / 2);
}

export function buildValidatorPdbSpec(org: string, maxUnavailable: number): k8s.types.input.policy.v1.PodDisruptionBudgetSpec {
    return {
        maxUnavailable,
        selector: { matchLabels: { "app.kubernetes.io/part-of": PART_OF, "qstack.io/org": org, "app.kubernetes.io/component": "validator" } },
    };
}
