/**
 * The chain part of `npm run lab` on the real nodes: after the handshake, wait for the joiner's
 * validators to be voted in and to seal, then report every node's view of the chain, the
 * validator set before and after, one private transaction from orgA to orgB's Tessera key, and
 * the seconds from empty clusters to the first block a joiner's validator sealed, and what each
 * organization's Prometheus scrapes.
 */
import { awaitSealedBy, firstBlockWithValidators, observeNode, validatorSet, type NodeChainState, type SealedBlock } from "./chain-observation";
import { sendCrossOrgPrivate, type CrossOrgPrivateResult } from "./cross-org-private";
import { waitFor } from "./deadline";
import { describeTargets, scrapeTargets, type ScrapeTarget } from "./prometheus-targets";
import { realNodes, type RealNode } from "./real-node-console";
import type { ClusterName } from "../lab-env";
import { MilestoneLog, type Milestone } from "../milestones";

const MINUTE = 60_000;

export interface ChainReport {
    readonly nodes: readonly NodeChainState[];
    readonly validatorsAtGenesis: readonly string[];
    readonly validatorsNow: readonly string[];
    readonly joinerValidators: readonly string[];
    readonly firstJoinerSeal: SealedBlock & {
        /** From the start of the `npm run lab` that started the clusters empty; absent when they were already running. */
        readonly secondsFromEmptyClusters?: number;
    };
    readonly privateTransaction: CrossOrgPrivateResult;
    /**
     * The chain's moments, in seconds since the run started: the block that voted the joiner's
     * validators in and the first block one of them sealed (both by block timestamp, only when
     * this run started the clusters empty), and the private transaction read on its recipient.
     */
    readonly milestones: readonly Milestone[];
    /** Per cluster, its Prometheus' active targets (the monitoring add-on the lab stacks turn on). */
    readonly scrapeTargets: Readonly<Record<string, readonly ScrapeTarget[]>>;
}

export interface ChainContext {
    /** When the run started (ms since the epoch). */
    readonly startedAt: number;
    /** Whether this run started the clusters empty. */
    readonly freshClusters: boolean;
}

/** The founding organization is cluster a (its stack has no genesisFrom), the joiner cluster b. */
export async function observeRealChain(context: ChainContext): Promise<ChainReport> {
    const nodes = await realNodes();
    const founder = first(nodes, (n) => n.cluster === "a" && n.role === "validator", "a validator of the founder (cluster a)");
    const joiners = nodes.filter((n) => n.cluster === "b" && n.role === "validator").map((n) => n.validatorAddress);
    if (joiners.length === 0) throw new Error("the joiner (cluster b) has no validator, so no joiner seal can be reported");
    const validatorsAtGenesis = validatorSet(founder, 0);
    await waitFor(`the joiner's validators ${joiners.join(", ")} in the validator set (asking ${founder.name})`, 5 * MINUTE, async () => {
        const now = validatorSet(founder, "latest");
        return joiners.every((j) => now.includes(j)) ? true : undefined;
    }, 2000);
    const sealed = await awaitSealedBy(founder, joiners, 5 * MINUTE);
    const log = new MilestoneLog(context.startedAt);
    if (context.freshClusters) {
        const votedIn = firstBlockWithValidators(founder, joiners);
        log.mark(`joiner's validators voted in (block ${votedIn.block})`, votedIn.timestamp * 1000);
        log.mark(`first block sealed by a joiner validator (block ${sealed.block})`, sealed.timestamp * 1000);
    }
    const sender = first(nodes, (n) => n.cluster === "a" && n.tesseraPublicKey !== undefined, "a node of cluster a with Tessera");
    const recipient = first(nodes, (n) => n.cluster === "b" && n.tesseraPublicKey !== undefined, "a node of cluster b with Tessera");
    const privateTransaction = await sendCrossOrgPrivate(sender, recipient, nodes);
    log.mark(`private transaction ${sender.name} -> ${recipient.name} read on both organizations`);
    const targets: Record<string, ScrapeTarget[]> = {};
    for (const cluster of [...new Set(nodes.map((n) => n.cluster))]) targets[cluster] = await allTargetsUp(cluster, nodes.filter((n) => n.cluster === cluster).length);
    return {
        nodes: nodes.map(observeNode),
        validatorsAtGenesis,
        validatorsNow: validatorSet(founder, "latest"),
        joinerValidators: joiners,
        firstJoinerSeal: {
            ...sealed,
            ...(context.freshClusters ? { secondsFromEmptyClusters: sealed.timestamp - Math.floor(context.startedAt / 1000) } : {}),
        },
        privateTransaction,
        milestones: log.milestones,
        scrapeTargets: targets,
    };
}

/**
 * The cluster's targets once each of its nodes is scraped `up` by both jobs, or as they are after
 * two minutes (the report then shows which are down and why; the e2e suite fails on it).
 */
async function allTargetsUp(cluster: ClusterName, nodeCount: number): Promise<ScrapeTarget[]> {
    const allUp = (t: readonly ScrapeTarget[]) => t.length === 2 * nodeCount && t.every((x) => x.health === "up");
    try {
        return await waitFor(`cluster ${cluster}'s Prometheus scraping its ${nodeCount} nodes' geth and Tessera up`, 2 * MINUTE, async () => {
            const t = scrapeTargets(cluster);
            return allUp(t) ? t : undefined;
        }, 5000);
    } catch (gaveUp) {
        try {
            return scrapeTargets(cluster);
        } catch {
            throw gaveUp; // Prometheus does not answer at all: the wait's message says what it saw last
        }
    }
}

function first(nodes: readonly RealNode[], test: (n: RealNode) => boolean, what: string): RealNode {
    const n = nodes.find(test);
    if (!n) throw new Error(`the lab's stacks export no ${what}`);
    return n;
}

export function formatChainReport(r: ChainReport): string[] {
    const lines = ["", "chain:"];
    for (const n of r.nodes) {
        lines.push(`  ${n.cluster}/${n.node}: block ${n.height}, ${n.peers} peers, ${n.validator ? `validator, last sealed ${n.lastSealed ?? "none"}` : "not a validator"}`);
    }
    lines.push(`validators at genesis (${r.validatorsAtGenesis.length}): ${r.validatorsAtGenesis.join(" ")}`);
    lines.push(`validators now (${r.validatorsNow.length}): ${r.validatorsNow.join(" ")}`);
    const s = r.firstJoinerSeal;
    lines.push(`first block sealed by a joiner validator: ${s.block} (by ${s.author})${s.secondsFromEmptyClusters !== undefined ? `, ${s.secondsFromEmptyClusters} s after this run started the clusters empty` : " (clusters were already running)"}`);
    const p = r.privateTransaction;
    const readable = Object.entries(p.values).filter(([, v]) => v === p.expected).map(([n]) => n);
    const hidden = Object.entries(p.values).filter(([, v]) => v === "0x").map(([n]) => n);
    lines.push(`private contract ${p.contract} (block ${p.block}) from ${p.sender} for ${p.recipient}'s Tessera key: readable on ${readable.join(", ")}; empty on ${hidden.join(", ")}`);
    for (const [cluster, targets] of Object.entries(r.scrapeTargets)) lines.push(`prometheus of cluster ${cluster}: ${describeTargets(targets).join(", ")}`);
    return lines;
}
