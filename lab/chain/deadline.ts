/**
 * Waiting on a running chain: every wait has a deadline and, when it gives up, says what it
 * was waiting for and what it saw last.
 */
export async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>, pollMs = 500): Promise<T> {
    const start = Date.now();
    let last: unknown = "nothing yet";
    for (;;) {
        try {
            const value = await probe();
            if (value !== undefined) return value;
            last = "not yet";
        } catch (e) {
            last = e instanceof Error ? e.message : String(e);
        }
        if (Date.now() - start > timeoutMs) {
            throw new Error(`gave up after ${Math.round(timeoutMs / 1000)} s waiting for ${what}; last seen: ${String(last).slice(0, 300)}`);
        }
        await new Promise((r) => setTimeout(r, pollMs));
    }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
