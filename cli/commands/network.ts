/**
 * `qctl network up|preview|status`: drives several organizations' stacks (same backend) to a
 * converged network with the Automation API, in the rounds of cli/network/converge.ts, and
 * tells which stacks consumed partner exports that have changed since (cli/network/partner-status.ts).
 */
import { resolve } from "node:path";
import { AutomationDriver, findFounder } from "../network/automation-driver";
import { converge, expectedUpdates } from "../network/converge";
import { backendSources, formatPartnerStatus, partnerStatus } from "../network/partner-status";
import { parseArgs, requireFlag } from "../args";
import { QstackError } from "../../core/errors";
import type { Command, Io } from "../command";

function stacksOf(value: string): string[] {
    return value.split(",").map((s) => s.trim()).filter(Boolean);
}

function driverFor(cwd: string, io: Io, verbose: boolean): AutomationDriver {
    return new AutomationDriver(resolve(cwd), (stack, line) => {
        if (verbose) io.err(`[${stack}] ${line}`);
    });
}

/** `--parallel N`: a positive whole number. */
function concurrencyOf(value: string | boolean | undefined): number | undefined {
    if (value === undefined) return undefined;
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) {
        throw new QstackError("INVALID_ARGUMENT", [{ key: "--parallel", reason: "not a positive whole number", value, allowed: "1, 2, 3, ... (stacks updated at once)" }]);
    }
    return n;
}

export const networkUp: Command = {
    name: "network up",
    summary: "update partner stacks, round by round, until the network converges",
    usage: "qctl network up --stacks STACK,STACK[,...] [--sequential | --parallel N] [--cwd DIR] [--verbose]",
    help: [
        "Previews and updates in rounds until a round previews every stack empty: the founder",
        "alone, then all joiners at once, then every stack that still previews a change, all at",
        `once (about three update times whatever the number of organizations; ${expectedUpdates(3)} updates for three).`,
        "A failing stack stops its round once the round's other stacks finished, and is named.",
        "Progress goes to stderr, each line prefixed with its stack; a JSON report {converged,",
        "mode, updates, rounds, ...} to stdout.",
        "  --stacks      the stacks, all in the project's current backend",
        `  --sequential  one stack at a time, founder then joiners in the order given (N organizations: 2N-1 updates, ${expectedUpdates(3, "sequential")} for three)`,
        "  --parallel N  at most N stacks at once (default: all of a round's stacks)",
        "  --cwd         the Pulumi project directory (default: current directory)",
        "  --verbose     forward the engine's output",
    ],
    async run(argv, io) {
        const args = parseArgs(argv, { values: ["stacks", "cwd", "parallel"], booleans: ["verbose", "sequential"] });
        const stacks = stacksOf(requireFlag(args, "stacks", "comma-separated stack names"));
        if (args.flags.has("sequential") && args.flags.has("parallel")) {
            throw new QstackError("INVALID_ARGUMENT", [{ key: "--sequential", reason: "cannot be combined with --parallel", allowed: "one of --sequential, --parallel N, or neither" }]);
        }
        const concurrency = concurrencyOf(args.flags.get("parallel"));
        const driver = driverFor(String(args.flags.get("cwd") ?? "."), io, args.flags.has("verbose"));
        const founder = await findFounder(stacks, (s) => driver.genesisFrom(s));
        const started = Date.now();
        const since = () => `${Math.round((Date.now() - started) / 1000)} s`;
        const result = await converge(stacks, founder, driver, {
            mode: args.flags.has("sequential") ? "sequential" : "parallel",
            ...(concurrency !== undefined ? { concurrency } : {}),
            onEvent: (e) =>
                io.err(e.action === "preview" ? `[${e.stack}] round ${e.round}: preview: ${e.changes} change(s) (${since()})` : `[${e.stack}] round ${e.round}: updated (${since()})`),
        });
        io.out(JSON.stringify({ ...result, founder, seconds: Math.round((Date.now() - started) / 100) / 10 }));
        if (!result.converged) {
            throw new QstackError("NOT_CONVERGED", [
                { key: "--stacks", reason: `network did not converge in ${result.rounds} rounds`, value: stacks.join(","), allowed: "stacks whose previews settle; qctl network preview shows which keep changing" },
            ]);
        }
    },
};

export const networkPreview: Command = {
    name: "network preview",
    summary: "preview every stack and report its number of changes",
    usage: "qctl network preview --stacks STACK,STACK[,...] [--cwd DIR] [--verbose]",
    help: ["Prints {\"<stack>\": <changes>, ...}; all zeros means the network has converged."],
    async run(argv, io) {
        const args = parseArgs(argv, { values: ["stacks", "cwd"], booleans: ["verbose"] });
        const stacks = stacksOf(requireFlag(args, "stacks", "comma-separated stack names"));
        const driver = driverFor(String(args.flags.get("cwd") ?? "."), io, args.flags.has("verbose"));
        const report: Record<string, number> = {};
        for (const s of stacks) {
            report[s] = await driver.preview(s);
            io.err(`[${s}] preview: ${report[s]} change(s)`);
        }
        io.out(JSON.stringify(report));
    },
};

export const networkStatus: Command = {
    name: "network status",
    summary: "list the stacks whose consumed partner exports are no longer the partners' current ones",
    usage: "qctl network status (--stacks STACK,STACK[,...] | -s STACK) [--cwd DIR] [--json]",
    help: [
        "Compares what each stack consumed at its last update (its `partners` output: a digest and",
        "the node facts of every partner export) with the partners' current exports, read through",
        "the backend or the partner files, without a preview. Says what changed (nodes added or",
        "removed, a changed node IP or NodePort) and what to run. Exits 1 when any stack is stale,",
        "so an organization can run it from cron or CI.",
        "  --stacks  the stacks to check (same backend)",
        "  -s        one organization's stack; its partners are read through the same backend or its partner files",
        "  --json    the report as JSON on stdout",
    ],
    async run(argv, io) {
        const args = parseArgs(argv, { values: ["stacks", "stack", "cwd"], booleans: ["json"] });
        const one = args.flags.get("stack");
        const list = args.flags.get("stacks");
        if ((typeof one === "string") === (typeof list === "string")) {
            throw new QstackError("INVALID_ARGUMENT", [{ key: "--stacks", reason: "give either --stacks or -s, not both or neither", allowed: "--stacks A,B,... or -s STACK" }]);
        }
        const stacks = typeof one === "string" ? [one] : stacksOf(String(list));
        const report = await partnerStatus(stacks, backendSources(resolve(String(args.flags.get("cwd") ?? "."))));
        if (args.flags.has("json")) io.out(JSON.stringify(report));
        else for (const line of formatPartnerStatus(report, stacks)) io.out(line);
        return report.some((r) => r.stale) ? 1 : 0;
    },
};
