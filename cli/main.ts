/**
 * qctl: the qstack operator's CLI. Each command does one thing; results go to stdout (JSON or a
 * plain value), errors to stderr with a non-zero exit (2: usage, 1: anything else).
 */
import { QstackError } from "../core/errors";
import type { Command, Io } from "./command";
import { genesisExtraData } from "./commands/genesis";
import { keysDerive, keysTesseraPublic } from "./commands/keys";
import { externalNodesExport } from "./commands/external-nodes";
import { networkPreview, networkStatus, networkUp } from "./commands/network";
import { init } from "./commands/init";
import { nodeAdd, nodeLs, nodeRm } from "./commands/node";
import { gethAttach, gethExec } from "./commands/geth";
import { status } from "./commands/status";
import { acceptanceTest } from "./commands/test";
import { render } from "./commands/render";

export const COMMANDS: readonly Command[] = [
    init, nodeAdd, nodeRm, nodeLs, gethAttach, gethExec, status, acceptanceTest, keysDerive, keysTesseraPublic, genesisExtraData, externalNodesExport, networkUp, networkPreview, networkStatus, render,
];

function overview(): string {
    const width = Math.max(...COMMANDS.map((c) => c.name.length));
    return [
        "qctl: operate qstack GoQuorum networks",
        "",
        "Usage: qctl COMMAND [FLAGS]   (qctl COMMAND --help for details)",
        "",
        "Commands:",
        ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    ].join("\n");
}

/** Runs qctl with `argv` (without node and script); returns the exit code. */
export async function main(argv: readonly string[], io: Io): Promise<number> {
    if (argv.length === 0 || argv[0] === "help" || argv[0] === "--help" || argv[0] === "-h") {
        io.out(overview());
        return 0;
    }
    const command = [...COMMANDS]
        .sort((a, b) => b.name.split(" ").length - a.name.split(" ").length)
        .find((c) => c.name.split(" ").every((word, i) => argv[i] === word));
    if (!command) {
        io.err(`qctl: unknown command ${JSON.stringify(argv.slice(0, 2).join(" "))}; allowed: ${COMMANDS.map((c) => c.name).join(", ")}`);
        return 2;
    }
    const rest = argv.slice(command.name.split(" ").length);
    if (rest.includes("--help") || rest.includes("-h")) {
        io.out([`Usage: ${command.usage}`, "", ...command.help].join("\n"));
        return 0;
    }
    try {
        const code = await command.run(rest, io);
        return typeof code === "number" ? code : 0;
    } catch (e) {
        if (e instanceof QstackError) {
            io.err(`qctl ${command.name}: ${e.message}`);
            return e.code === "INVALID_ARGUMENT" || e.code === "INVALID_KEY" ? 2 : 1;
        }
        io.err(`qctl ${command.name}: ${(e as Error).stack ?? String(e)}`);
        return 1;
    }
}
