/**
 * Bringing several organizations' stacks to a converged network: the order of previews and
 * updates, independent of how a stack is previewed or updated (the Automation API in qctl, a
 * fake in tests). The network has converged when a round previews every stack empty.
 *
 * Parallel (the default): the founder (the one stack without `genesisFrom`) alone first, since
 * every joiner adopts its genesis; then all joiners at once, each seeing the founder; then, round
 * after round, every stack that still previews a change, all at once (each now sees the joiners
 * that appeared beside it). From nothing that is three waves of updates, whatever N is: the
 * founder, the N-1 joiners, then all N again (two organizations: the founder only, as the one
 * joiner already saw it), so 2N updates (3 for two) in about three update times.
 *
 * Sequential (`mode: "sequential"`): the founder, then the joiners in the order given, one at a
 * time, each round previewing every stack and updating those with changes. Two organizations
 * take three updates (founder, joiner, founder again); N take 2N-1, one after another.
 *
 * A stack that fails stops its round: the other stacks of the round finish what they started
 * (an update is never abandoned half-way), and the error names every stack that failed.
 */
import { QstackError, type Problem } from "../../core/errors";
import { pulumiErrors } from "../pulumi-errors";

/** How one stack is previewed and updated. */
export interface StackDriver {
    /** Number of resources a preview would create, update, replace or delete (0 = no changes). */
    preview(stack: string): Promise<number>;
    /** Runs `pulumi up`; resolves when done. */
    up(stack: string): Promise<void>;
}

export type ConvergeMode = "parallel" | "sequential";

export interface ConvergeEvent {
    readonly round: number;
    readonly stack: string;
    readonly action: "preview" | "up";
    readonly changes?: number;
}

export interface ConvergeOptions {
    /** @default "parallel" */
    readonly mode?: ConvergeMode;
    /** Parallel mode: at most this many stacks previewed or updated at once. @default - all of a round's stacks */
    readonly concurrency?: number;
    /** @default - the number of stacks + 2 */
    readonly maxRounds?: number;
    readonly onEvent?: (e: ConvergeEvent) => void;
}

export interface ConvergeResult {
    readonly converged: boolean;
    readonly mode: ConvergeMode;
    readonly updates: number;
    readonly rounds: number;
    readonly order: readonly string[];
    /** Updates per stack. */
    readonly updatesPerStack: Readonly<Record<string, number>>;
    /**
     * Each stack's last preview: the changes it showed after the last update anywhere. A
     * converged network ends on previews of every stack after the last update, so these are
     * all 0 then, and nobody needs to preview again to know it.
     */
    readonly lastPreviews: Readonly<Record<string, number>>;
}

/** Founder first, joiners in the given order. */
export function convergenceOrder(stacks: readonly string[], founder: string): string[] {
    return [founder, ...stacks.filter((s) => s !== founder)];
}

/** Updates an unconverged network of `n` organizations needs from nothing. */
export function expectedUpdates(n: number, mode: ConvergeMode = "parallel"): number {
    if (n <= 1) return 1;
    if (mode === "sequential" || n === 2) return 2 * n - 1;
    return 2 * n;
}

export async function converge(stacks: readonly string[], founder: string, driver: StackDriver, options: ConvergeOptions = {}): Promise<ConvergeResult> {
    const mode = options.mode ?? "parallel";
    const order = convergenceOrder(stacks, founder);
    const maxRounds = options.maxRounds ?? stacks.length + 2;
    const perStack: Record<string, number> = Object.fromEntries(order.map((s) => [s, 0]));
    const lastPreviews: Record<string, number> = {};
    const emit = options.onEvent ?? (() => undefined);
    let updates = 0;
    const update = async (round: number, stack: string) => {
        await driver.up(stack);
        updates++;
        perStack[stack]++;
        emit({ round, stack, action: "up" });
    };
    const preview = async (round: number, stack: string) => {
        const changes = await driver.preview(stack);
        lastPreviews[stack] = changes;
        emit({ round, stack, action: "preview", changes });
        return changes;
    };
    const result = (converged: boolean, rounds: number): ConvergeResult => ({ converged, mode, updates, rounds, order, updatesPerStack: perStack, lastPreviews });

    if (mode === "sequential") {
        for (let round = 1; round <= maxRounds; round++) {
            let changed = false;
            for (const stack of order) {
                if ((await preview(round, stack)) === 0) continue;
                changed = true;
                await update(round, stack);
            }
            if (!changed) return result(true, round);
        }
        return result(false, maxRounds);
    }

    const joiners = order.slice(1);
    // Rounds 1 and 2 preview every stack once between them; if neither updated anything, that was a full empty round.
    let updatesBeforeRound3 = 0;
    for (let round = 1; round <= maxRounds; round++) {
        const members = round === 1 ? [founder] : round === 2 ? joiners : order;
        if (members.length === 0) continue;
        const changes = await inParallel(round, "preview", members, options.concurrency, (s) => preview(round, s));
        const changed = members.filter((_, i) => changes[i] > 0);
        await inParallel(round, "up", changed, options.concurrency, (s) => update(round, s));
        if (round === 2) updatesBeforeRound3 = updates;
        if (round === 2 && updatesBeforeRound3 === 0) return result(true, round);
        if (round >= 3 && changed.length === 0) return result(true, round);
        if (round === 1 && joiners.length === 0 && changed.length === 0) return result(true, round);
    }
    return result(false, maxRounds);
}

/**
 * Runs `task` for every stack, at most `limit` at once, and waits for all of them, also when
 * some fail: a round is left only when nothing of it is still running. Then any failures are
 * one error naming each failed stack.
 */
async function inParallel<T>(round: number, action: "preview" | "up", stacks: readonly string[], limit: number | undefined, task: (stack: string) => Promise<T>): Promise<T[]> {
    const results: T[] = new Array(stacks.length);
    const failures: Problem[] = [];
    let next = 0;
    const worker = async () => {
        for (let i = next++; i < stacks.length; i = next++) {
            try {
                results[i] = await task(stacks[i]);
            } catch (e) {
                const output = e instanceof Error ? e.message : String(e);
                const errors = pulumiErrors(output);
                const message = (errors.length > 0 ? [...new Set(errors)] : output.trim().split("\n").slice(-3)).join(" / ");
                failures.push({ key: stacks[i], reason: `${action === "up" ? "pulumi up" : "pulumi preview"} failed in round ${round}: ${message}`.slice(0, 600) });
            }
        }
    };
    const width = Math.max(1, Math.min(limit ?? stacks.length, stacks.length));
    await Promise.all(Array.from({ length: width }, worker));
    if (failures.length > 0) {
        const others = stacks.filter((s) => !failures.some((f) => f.key === s));
        throw new QstackError(
            "STACK_FAILED",
            failures.map((f) => ({ ...f, allowed: "fix it and run qctl network up again" })),
            `round ${round} stopped: ${failures.map((f) => f.key).join(", ")} failed${others.length > 0 ? `; ${others.join(", ")} finished their ${action === "up" ? "updates" : "previews"}` : ""}`,
        );
    }
    return results;
}
