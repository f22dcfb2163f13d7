/** `qctl init`: a minimal stack file for an organization, by flags (or prompts on a terminal). */
import { createInterface } from "node:readline/promises";
import { existsSync } from "node:fs";
import { parseArgs, requireFlag, usageError } from "../args";
import type { Command } from "../command";
import { readStackFile, setQstackKey, stackFilePath, writeStackFile } from "../stack-file";

async function ask(question: string): Promise<string> {
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    try {
        return (await rl.question(question)).trim();
    } finally {
        rl.close();
    }
}

function count(value: string | true | undefined, flag: string, fallback: number): number {
    if (value === undefined) return fallback;
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0 || n > 256) throw usageError(`--${flag}`, "not a node count", value, "an integer from 0 to 256");
    return n;
}

export const init: Command = {
    name: "init",
    summary: "write (or update) a minimal Pulumi.<stack>.yaml",
    usage: "qctl init -s STACK --org ORG [--validators 3] [--members 1] [--consensus qbft] [--chain-id N] [--partners A,B] [--genesis-from A] [--monitoring] [--explorer] [--acceptance-test] [--cwd DIR]",
    help: [
        "Writes the qstack: keys given by flags into Pulumi.<STACK>.yaml. An existing file keeps",
        "every other key and its comments; nodes are only written when the file has none.",
        "The result is validated as `pulumi up` would before anything is written.",
        "On a terminal, a missing --org is asked for.",
        "--monitoring turns on the in-namespace Prometheus and Grafana, --explorer Cakeshop, and",
        "--acceptance-test the acceptance test template that `qctl test` runs.",
    ],
    async run(argv, io) {
        const args = parseArgs(argv, {
            values: ["stack", "org", "validators", "members", "consensus", "chain-id", "partners", "genesis-from", "cwd"],
            booleans: ["monitoring", "explorer", "acceptance-test"],
        });
        const stack = requireFlag(args, "stack", "-s STACK");
        const path = stackFilePath(String(args.flags.get("cwd") ?? "."), stack);
        const doc = readStackFile(path);
        let org = args.flags.get("org") as string | undefined;
        if (!org && !doc.hasIn(["config", "qstack:org"])) {
            if (!process.stdin.isTTY) throw usageError("--org", "required", undefined, "a DNS-1123 label naming your organization");
            org = await ask("Organization name (e.g. org-a): ");
        }
        if (org) setQstackKey(doc, "org", org);
        const consensus = args.flags.get("consensus");
        if (typeof consensus === "string") setQstackKey(doc, "consensus", consensus);
        const chainId = args.flags.get("chain-id");
        if (typeof chainId === "string") setQstackKey(doc, "chainId", /^\d+$/.test(chainId) ? Number(chainId) : chainId);
        const partners = args.flags.get("partners");
        if (typeof partners === "string") setQstackKey(doc, "partners", partners.split(",").map((p) => p.trim()).filter(Boolean));
        const genesisFrom = args.flags.get("genesis-from");
        if (typeof genesisFrom === "string") setQstackKey(doc, "genesisFrom", genesisFrom);
        if (args.flags.has("monitoring")) {
            setQstackKey(doc, "monitoring.prometheus", true);
            setQstackKey(doc, "monitoring.grafana", true);
        }
        if (args.flags.has("explorer")) setQstackKey(doc, "explorer.enabled", true);
        if (args.flags.has("acceptance-test")) setQstackKey(doc, "acceptanceTest.enabled", true);
        if (!doc.hasIn(["config", "qstack:nodes"])) {
            const name = String(org ?? doc.getIn(["config", "qstack:org"]));
            const validators = count(args.flags.get("validators"), "validators", 3);
            const members = count(args.flags.get("members"), "members", 1);
            const nodes = [
                ...Array.from({ length: validators }, (_, i) => ({ name: `${name}-validator${i + 1}` })),
                ...Array.from({ length: members }, (_, i) => ({ name: `${name}-member${i + 1}`, role: "member" })),
            ];
            setQstackKey(doc, "nodes", nodes);
        }
        const existed = existsSync(path);
        const config = writeStackFile(path, doc);
        io.err(`${existed ? "updated" : "wrote"} ${path}: ${config.org}, ${config.consensus}, ${config.nodes.length} nodes`);
        io.out(path);
    },
};
