/**
 * Bringing several organizations' stacks to a converged network: the order of previews and
 * updates, independent of how a stack is previewed or updated (the Automation API in qctl, a
 * fake in tests).
 *
 * Order: the founder (the one stack without `genesisFrom`) first, then the joiners in the
 * order given. Each round previews every stack and updates those with changes; the network has
 * converged when a whole round previews empty. Two organizations from nothing take three
 * updates (founder, joiner, founder again: the founder only sees the joiner once it exists);
 * N organizations take 2N-1 (each joiner sees the founder and the joiners before it; in round
 * two every organization but the last picks up the ones after it).
 */

/** How one stack is previewed and updated. */
export interface StackDriver {
    /** Number of resources a preview would create, update, replace or delete (0 = no changes). */
    preview(stack: string): Promise<number>;
    /** Runs `pulumi up`; resolves when done. */
    up(stack: string): Promise<void>;
}

export interface ConvergeEvent {
    readonly round: number;
    readonly stack: string;
    readonly action: "preview" | "up";
    readonly changes?: number;
}

export interface ConvergeResult {
    readonly converged: boolean;
    readonly updates: number;
    readonly rounds: number;
    readonly order: readonly string[];
    /** Updates per stack. */
    readonly updatesPerStack: Readonly<Record<string, number>>;
}

/** Founder first, joiners in the given order. */
export function convergenceOrder(stacks: readonly string[], founder: string): string[] {
    return [founder, ...stacks.filter((s) => s !== founder)];
}

/** Updates an unconverged network of `n` organizations needs from nothing. */
export function expectedUpdates(n: number): number {
    return Math.max(1, 2 * n - 1);
}

export async function converge(
    stacks: readonly string[],
    founder: string,
    driver: StackDriver,
    options: { maxRounds?: number; onEvent?: (e: ConvergeEvent) => void } = {},
): Promise<ConvergeResult> {
    const order = convergenceOrder(stacks, founder);
    const maxRounds = options.maxRounds ?? stacks.length + 2;
    const perStack: Record<string, number> = Object.fromEntries(order.map((s) => [s, 0]));
    let updates = 0;
    for (let round = 1; round <= maxRounds; round++) {
        let changed = false;
        for (const stack of order) {
            const changes = await driver.preview(stack);
            options.onEvent?.({ round, stack, action: "preview", changes });
            if (changes === 0) continue;
            changed = true;
            await driver.up(stack);
            updates++;
            perStack[stack]++;
            options.onEvent?.({ round, stack, action: "up" });
        }
        if (!changed) return { converged: true, updates, rounds: round, order, updatesPerStack: perStack };
    }
    return { converged: false, updates, rounds: maxRounds, order, updatesPerStack: perStack };
}
