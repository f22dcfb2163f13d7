/**
 * Where a lab run's time goes: named moments, in seconds since the run started, each with the
 * time since the one before. `npm run lab` records the run's own steps (toolchain, clusters,
 * each update of the handshake) and, on the real nodes, the chain's (./chain/real-chain-report.ts:
 * the block that voted the joiner's validators in, its first sealed block, the private
 * transaction read across organizations). The benchmark prints them as its phase table.
 */

export interface Milestone {
    readonly name: string;
    /** Seconds since the run started. */
    readonly atSeconds: number;
}

/** Records milestones relative to `startedAt` (ms since the epoch). */
export class MilestoneLog {
    readonly milestones: Milestone[] = [];
    constructor(readonly startedAt: number) {}

    /** A moment of this process's clock (now, by default). */
    mark(name: string, atMs = Date.now()): void {
        this.milestones.push({ name, atSeconds: Math.round((atMs - this.startedAt) / 100) / 10 });
    }
}

/** Sorted by time, one line each: seconds since start, the name, the time since the previous one. */
export function formatMilestones(milestones: readonly Milestone[]): string[] {
    const sorted = [...milestones].sort((a, b) => a.atSeconds - b.atSeconds);
    let previous = 0;
    return sorted.map((m) => {
        const line = `  ${m.atSeconds.toFixed(1).padStart(7)} s  ${m.name.padEnd(58)} +${(m.atSeconds - previous).toFixed(1)} s`;
        previous = m.atSeconds;
        return line;
    });
}
