/**
 * `qctl geth attach|exec NODE`: geth's console on a node, over the in-pod IPC socket (where the
 * admin and personal APIs live; they are never on a port). Runs the operator's kubectl with the
 * stack's namespace and the kubeconfig/context its Kubernetes provider uses.
 */
import { spawnSync } from "node:child_process";
import { names } from "../../core/k8s/labels";
import { PATHS } from "../../core/node/layout";
import { parseArgs, usageError, type ParsedArgs } from "../args";
import type { Command, Io } from "../command";
import { stackTarget } from "../kubectl";

function parse(argv: readonly string[]): ParsedArgs {
    return parseArgs(argv, { values: ["stack", "cwd"], booleans: ["print"] });
}

/** The kubectl argument vector for a geth console on NODE (optionally running `script`). */
export function gethKubectlArgs(args: ParsedArgs, script: string | undefined): string[] {
    const node = args.positional[0];
    if (!node) throw usageError("NODE", "required", undefined, "a node name from qstack:nodes");
    const { config, kubectlFlags } = stackTarget(args);
    if (!config.nodes.some((n) => n.name === node)) throw usageError("NODE", "no such node in the stack", node, config.nodes.map((n) => n.name).join(", "));
    return [
        ...kubectlFlags, "exec", ...(script === undefined ? ["-it"] : []), names.pod(node), "-c", "quorum", "--",
        "geth", "attach", ...(script === undefined ? [] : ["--exec", script]), `${PATHS.quorumDataDir}/geth.ipc`,
    ];
}

/** Runs kubectl (or prints its command line); returns kubectl's exit status, which it has explained itself. */
function run(kubectlArgs: string[], print: boolean, io: Io): number {
    if (print) {
        io.out(["kubectl", ...kubectlArgs].map((a) => (/^[\w./:=@-]+$/.test(a) ? a : `'${a.replace(/'/g, "'\\''")}'`)).join(" "));
        return 0;
    }
    const r = spawnSync("kubectl", kubectlArgs, { stdio: "inherit" });
    if (r.error) throw usageError("kubectl", `cannot run kubectl: ${r.error.message}`, undefined, "kubectl on PATH");
    return r.status ?? 1;
}

export const gethAttach: Command = {
    name: "geth attach",
    summary: "interactive geth console on a node (IPC)",
    usage: "qctl geth attach NODE -s STACK [--cwd DIR] [--print]",
    help: ["Opens geth's JavaScript console in the node's pod. --print shows the kubectl command instead."],
    run(argv, io) {
        const args = parse(argv);
        return run(gethKubectlArgs(args, undefined), args.flags.has("print"), io);
    },
};

export const gethExec: Command = {
    name: "geth exec",
    summary: "run one console expression on a node, e.g. 'eth.blockNumber'",
    usage: "qctl geth exec NODE EXPRESSION -s STACK [--cwd DIR] [--print]",
    help: ["Prints the expression's value, as `geth attach --exec` does. --print shows the kubectl command instead."],
    run(argv, io) {
        const args = parse(argv);
        const script = args.positional[1];
        if (!script) throw usageError("EXPRESSION", "required", undefined, "a geth console expression, e.g. eth.blockNumber");
        return run(gethKubectlArgs(args, script), args.flags.has("print"), io);
    },
};
