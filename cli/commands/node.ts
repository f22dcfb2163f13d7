/** `qctl node add|rm|ls`: the organization's nodes in its stack file (and, with --asexternal, as partners see them). */
import { resolve } from "node:path";
import { isMap, isSeq } from "yaml";
import type { ExternalNodesDocument } from "../../core/export/external-nodes";
import { NODE_ROLES } from "../../core/config/schema";
import { parseArgs, requireFlag, usageError } from "../args";
import type { Command } from "../command";
import { AutomationDriver } from "../network/automation-driver";
import { readStackFile, stackFilePath, validateStackFile, writeStackFile } from "../stack-file";

export const nodeAdd: Command = {
    name: "node add",
    summary: "add a node to the stack file",
    usage: "qctl node add NAME -s STACK [--role validator|member] [--no-tessera] [--cwd DIR]",
    help: ["Appends the node to qstack:nodes (other keys and comments untouched), validated first."],
    run(argv, io) {
        const args = parseArgs(argv, { values: ["stack", "role", "cwd"], booleans: ["no-tessera"] });
        const [name] = args.positional;
        if (!name) throw usageError("NAME", "required", undefined, "the new node's name");
        const role = String(args.flags.get("role") ?? "validator");
        if (!(NODE_ROLES as readonly string[]).includes(role)) throw usageError("--role", "unknown role", role, NODE_ROLES.join(", "));
        const path = stackFilePath(String(args.flags.get("cwd") ?? "."), requireFlag(args, "stack", "-s STACK"));
        const doc = readStackFile(path);
        const nodes = doc.getIn(["config", "qstack:nodes"]);
        const entry = doc.createNode({ name, ...(role !== "validator" ? { role } : {}), ...(args.flags.has("no-tessera") ? { tessera: false } : {}) });
        if (isSeq(nodes)) nodes.add(entry);
        else doc.setIn(["config", "qstack:nodes"], doc.createNode([entry]));
        const config = writeStackFile(path, doc);
        io.err(`added ${name} (${role}); ${config.nodes.length} nodes. Run pulumi up, then let partners update (qctl network up).`);
    },
};

export const nodeRm: Command = {
    name: "node rm",
    summary: "remove a node from the stack file",
    usage: "qctl node rm NAME -s STACK [--cwd DIR]",
    help: [
        "Removes the node from qstack:nodes, validated first (e.g. the last validator cannot go).",
        "Its key Secret and volume are retained by `pulumi up` (retainOnDelete / StatefulSet PVC policy).",
    ],
    run(argv, io) {
        const args = parseArgs(argv, { values: ["stack", "cwd"] });
        const [name] = args.positional;
        if (!name) throw usageError("NAME", "required", undefined, "the node's name");
        const path = stackFilePath(String(args.flags.get("cwd") ?? "."), requireFlag(args, "stack", "-s STACK"));
        const doc = readStackFile(path);
        const nodes = doc.getIn(["config", "qstack:nodes"]);
        const index = isSeq(nodes) ? nodes.items.findIndex((n) => isMap(n) && n.get("name") === name) : -1;
        if (index < 0) {
            const known = validateStackFile(doc).nodes.map((n) => n.name);
            throw usageError("NAME", "no such node in the stack file", name, known.join(", "));
        }
        (nodes as { delete(i: number): void }).delete(index);
        const config = writeStackFile(path, doc);
        io.err(`removed ${name}; ${config.nodes.length} nodes left.`);
    },
};

export const nodeLs: Command = {
    name: "node ls",
    summary: "list the stack's nodes (--asexternal: as partners see them)",
    usage: "qctl node ls -s STACK [--json] [--asexternal] [--cwd DIR]",
    help: [
        "From the stack file: name, role, tessera. With --asexternal, from the deployed stack's",
        "externalNodes output: name, role, enode URL, validator address, Tessera URL and key.",
    ],
    async run(argv, io) {
        const args = parseArgs(argv, { values: ["stack", "cwd"], booleans: ["json", "asexternal"] });
        const stack = requireFlag(args, "stack", "-s STACK");
        const cwd = String(args.flags.get("cwd") ?? ".");
        if (args.flags.has("asexternal")) {
            const doc = (await new AutomationDriver(resolve(cwd), () => undefined).externalNodes(stack)) as ExternalNodesDocument;
            if (args.flags.has("json")) return io.out(JSON.stringify(doc.nodes));
            for (const n of doc.nodes) io.out([n.name, n.role, n.enodeUrl, n.validatorAddress, n.tesseraP2pUrl ?? "-", n.tesseraPublicKey ?? "-"].join("\t"));
            return;
        }
        const config = validateStackFile(readStackFile(stackFilePath(cwd, stack)));
        const rows = config.nodes.map((n) => ({ name: n.name, role: n.role, tessera: n.tessera }));
        if (args.flags.has("json")) return io.out(JSON.stringify(rows));
        for (const r of rows) io.out(`${r.name}\t${r.role}\t${r.tessera ? "tessera" : "-"}`);
    },
};
