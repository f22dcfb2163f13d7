/**
 * The one error type of qstack.
 *
 * Every failure a user can cause (bad config, malformed key, inconsistent partner) is a
 * `QstackError` carrying one or more {@link Problem}s. The message format is stable so that
 * scripts and tests can rely on it:
 *
 * ```
 * <key>: <reason> (got <value>); allowed: <allowed>
 * ```
 *
 * one line per problem, `(got …)` and `; allowed: …` only when known. Private key material is
 * never echoed: pass {@link REDACTED} as the value.
 */

/** What kind of failure; stable, for programs that branch on it. */
export type QstackErrorCode =
    | "INVALID_CONFIG"
    | "INVALID_ARGUMENT"
    | "INVALID_KEY"
    | "INVALID_PARTNER"
    | "CLUSTER_DISCOVERY"
    | "STACK_FAILED"
    | "NOT_CONVERGED"
    /** The compiled stack program (dist/) is older than its sources (stack-program.js). */
    | "STALE_BUILD";

/** One thing that is wrong: which key, the bad value, and what would be accepted. */
export interface Problem {
    /** The config key or argument, e.g. `qstack:nodes[2].name` or `--nodekey`. */
    readonly key: string;
    /** Short lowercase phrase saying what is wrong. */
    readonly reason: string;
    /** The offending value (already redacted where secret); omitted when there is none. */
    readonly value?: unknown;
    /** What would be accepted instead. */
    readonly allowed?: string;
}

/** Placeholder shown instead of any private key, nodekey or password. */
export const REDACTED = "[REDACTED]";

/** Renders a value for an error message: strings quoted, everything else as JSON. */
function renderValue(value: unknown): string {
    if (value === REDACTED) return REDACTED;
    if (typeof value === "string") return JSON.stringify(value);
    if (value === undefined) return "nothing";
    try {
        const json = JSON.stringify(value);
        return json.length > 120 ? `${json.slice(0, 117)}...` : json;
    } catch {
        return String(value);
    }
}

/** Formats one problem in the stable one-line format. */
export function formatProblem(p: Problem): string {
    const got = "value" in p ? ` (got ${renderValue(p.value)})` : "";
    const allowed = p.allowed ? `; allowed: ${p.allowed}` : "";
    return `${p.key}: ${p.reason}${got}${allowed}`;
}

export class QstackError extends Error {
    readonly code: QstackErrorCode;
    readonly problems: readonly Problem[];

    constructor(code: QstackErrorCode, problems: readonly Problem[], heading?: string) {
        const lines = problems.map(formatProblem);
        const message =
            problems.length === 1 && !heading
                ? lines[0]
                : `${heading ?? `${problems.length} problems`}:\n${lines.map((l) => `  - ${l}`).join("\n")}`;
        super(message);
        this.name = "QstackError";
        this.code = code;
        this.problems = problems;
    }
}

/**
 * Collects problems so that validation reports everything wrong at once instead of the first
 * thing only; `throwIfAny` raises them together.
 */
export class ProblemList {
    private readonly items: Problem[] = [];

    add(problem: Problem): void {
        this.items.push(problem);
    }

    /** Runs `fn`, turning a thrown `QstackError` into collected problems. */
    capture<T>(fn: () => T): T | undefined {
        try {
            return fn();
        } catch (e) {
            if (e instanceof QstackError) {
                e.problems.forEach((p) => this.add(p));
                return undefined;
            }
            throw e;
        }
    }

    get length(): number {
        return this.items.length;
    }

    throwIfAny(code: QstackErrorCode, heading: string): void {
        if (this.items.length > 0) throw new QstackError(code, this.items, heading);
    }
}
