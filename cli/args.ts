/**
 * A deliberately small argument parser: `--name value`, `--name=value`, boolean `--flag`, and
 * the short forms `-s STACK` and `-o FILE`.
 * Unknown flags and missing values are usage errors naming the flag and what is allowed.
 */
import { QstackError } from "../core/errors";

export interface ParsedArgs {
    readonly positional: string[];
    readonly flags: Map<string, string | true>;
}

export interface FlagSpec {
    /** Flags that take a value. */
    readonly values?: readonly string[];
    /** Flags that are booleans. */
    readonly booleans?: readonly string[];
}

export function usageError(key: string, reason: string, value: unknown, allowed: string): QstackError {
    return new QstackError("INVALID_ARGUMENT", [{ key, reason, value, allowed }]);
}

/** Short forms of value flags, honoured by every command that has the long flag. */
const SHORT_FLAGS: Readonly<Record<string, string>> = { "-s": "stack", "-o": "output" };

export function parseArgs(rawArgv: readonly string[], spec: FlagSpec): ParsedArgs {
    const values = spec.values ?? [];
    const argv = rawArgv.map((a) => (values.includes(SHORT_FLAGS[a]) ? `--${SHORT_FLAGS[a]}` : a));
    const booleans = [...(spec.booleans ?? []), "help"];
    const known = [...values, ...booleans].map((f) => `--${f}`).join(", ");
    const positional: string[] = [];
    const flags = new Map<string, string | true>();
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        if (arg === "-h") {
            flags.set("help", true);
            continue;
        }
        if (!arg.startsWith("--")) {
            positional.push(arg);
            continue;
        }
        const [name, inline] = arg.slice(2).split(/=(.*)/s, 2);
        if (booleans.includes(name)) {
            flags.set(name, true);
        } else if (values.includes(name)) {
            const value = inline ?? argv[++i];
            if (value === undefined || (inline === undefined && value.startsWith("--"))) {
                throw usageError(`--${name}`, "missing value", undefined, `--${name} VALUE`);
            }
            flags.set(name, value);
        } else {
            throw usageError(arg, "unknown flag", arg, known || "no flags");
        }
    }
    return { positional, flags };
}

/** The value of a required flag. */
export function requireFlag(args: ParsedArgs, name: string, allowed: string): string {
    const v = args.flags.get(name);
    if (typeof v !== "string" || v === "") throw usageError(`--${name}`, "required", undefined, allowed);
    return v;
}
