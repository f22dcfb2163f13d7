/**
 * `qctl external-nodes export`: a stack's validated `externalNodes` document as a file, for
 * partners on another Pulumi backend (`qstack:partnerFiles`).
 */
import { renameSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseExternalNodesDocument } from "../../core/export/external-nodes";
import { AutomationDriver } from "../network/automation-driver";
import { parseArgs, requireFlag } from "../args";
import type { Command } from "../command";

export const externalNodesExport: Command = {
    name: "external-nodes export",
    summary: "write a stack's externalNodes document (for partners on another backend)",
    usage: "qctl external-nodes export -s STACK [-o FILE] [--cwd DIR]",
    help: [
        "Reads the stack's externalNodes output, validates it as partners will, and writes it",
        "to FILE (atomically) or stdout. Partners list FILE in qstack:partnerFiles.",
    ],
    async run(argv, io) {
        const args = parseArgs(argv, { values: ["stack", "output", "cwd"] });
        const stack = requireFlag(args, "stack", "-s STACK");
        const driver = new AutomationDriver(resolve(String(args.flags.get("cwd") ?? ".")), () => undefined);
        const doc = parseExternalNodesDocument(await driver.externalNodes(stack), stack);
        const text = `${JSON.stringify(doc, null, 2)}\n`;
        const output = args.flags.get("output");
        if (typeof output !== "string") {
            io.out(text.trimEnd());
            return;
        }
        // Write-then-rename: a partner never reads a half-written file.
        const tmp = `${output}.tmp-${process.pid}`;
        writeFileSync(tmp, text);
        renameSync(tmp, output);
        io.err(`wrote ${output} (${doc.nodes.length} nodes of ${doc.org})`);
    },
};
