/**
 * `qctl network up|preview`: drives several organizations' stacks (same backend) to a
 * converged network with the Automation API, in the order of cli/network/converge.ts.
 */
import { resolve } from "node:path";
import { AutomationDriver, findFounder } from "../network/automation-driver";
import { converge, expectedUpdates } from "../network/converge";
import { parseArgs, requireFlag } from "../args";
import type { Command, Io } from "../command";

function stacksOf(value: string): string[] {
    return value.split(",").map((s) => s.trim()).filter(Boolean);
}

function driverFor(cwd: string, io: Io, verbose: boolean): AutomationDriver {
    return new AutomationDriver(resolve(cwd), (stack, line) => {
        if (verbose) io.err(`[${stack}] ${line}`);
    });
}

export const networkUp: Command = {
    name: "network up",
    summary: "update partner stacks in order until the network converges",
    usage: "qctl network up --stacks STACK,STACK[,...] [--cwd DIR] [--verbose]",
    help: [
        "Runs previews and updates (founder first, then joiners) until a whole round previews",
        "empty. Progress goes to stderr; a JSON report {converged, updates, rounds, ...} to stdout.",
        `Two organizations need ${expectedUpdates(2)} updates from nothing; N need 2N-1.`,
        "  --stacks   the stacks, all in the project's current backend",
        "  --cwd      the Pulumi project directory (default: current directory)",
        "  --verbose  forward the engine's output",
    ],
    async run(argv, io) {
        const args = parseArgs(argv, { values: ["stacks", "cwd"], booleans: ["verbose"] });
        const stacks = stacksOf(requireFlag(args, "stacks", "comma-separated stack names"));
        const driver = driverFor(String(args.flags.get("cwd") ?? "."), io, args.flags.has("verbose"));
        const founder = await findFounder(stacks, (s) => driver.genesisFrom(s));
        const started = Date.now();
        const result = await converge(stacks, founder, driver, {
            onEvent: (e) =>
                io.err(e.action === "preview" ? `[${e.stack}] round ${e.round}: preview: ${e.changes} change(s)` : `[${e.stack}] round ${e.round}: updated`),
        });
        io.out(JSON.stringify({ ...result, founder, seconds: Math.round((Date.now() - started) / 100) / 10 }));
        if (!result.converged) throw new Error(`network did not converge in ${result.rounds} rounds`);
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
