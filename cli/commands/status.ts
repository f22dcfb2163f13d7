/**
 * `qctl status -s STACK`: per node, its pod, block height, peers, whether it validates, and
 * whether its Tessera is up, read from inside each pod (core/node/node-status.ts). Exits 1 when
 * any node is unhealthy, so scripts can use it as a check.
 */
import { names } from "../../core/k8s/labels";
import { buildNodeStatusScript, parseNodeStatus, type NodeChainStatus } from "../../core/node/node-status";
import { parseArgs } from "../args";
import type { Command } from "../command";
import { kubectl, kubectlOrFail, stackTarget } from "../kubectl";

export interface NodeStatus extends Partial<NodeChainStatus> {
    readonly node: string;
    readonly role: string;
    /** The pod's phase, or "missing". */
    readonly pod: string;
    readonly ready: boolean;
    readonly healthy: boolean;
}

interface PodList {
    items: { metadata: { name: string }; status?: { phase?: string; containerStatuses?: { ready: boolean }[] } }[];
}

/** kubectl's last error line, without the kubelet URL it embeds (which repeats the whole script). */
function briefly(stderr: string): string {
    const line = stderr.trim().split("\n").pop() ?? "";
    const short = line.replace(/"https?:\/\/[^"]*"/g, "<kubelet>");
    return short.length > 200 ? `${short.slice(0, 197)}...` : short;
}

/** The error geth gave, else why the reconciler's last run failed. */
function problemOf(r: NodeStatus): string {
    if (r.error) return r.error;
    return r.reconciler?.state === "failed" ? `reconciler failing: ${r.reconciler.detail ?? ""}`.trim() : "";
}

function table(rows: readonly NodeStatus[]): string {
    const cells = rows.map((r) => [
        r.node, r.role, r.pod + (r.ready ? "" : " (not ready)"), r.block?.toString() ?? "-", r.peers?.toString() ?? "-",
        r.validator === undefined ? "-" : r.raftRole ?? (r.validator ? "yes" : "no"), r.tessera ?? "-", r.reconciler?.state ?? "-", problemOf(r),
    ]);
    const header = ["NODE", "ROLE", "POD", "BLOCK", "PEERS", "VALIDATOR", "TESSERA", "RECONCILER", "PROBLEM"];
    const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
    return [header, ...cells].map((c) => c.map((v, i) => v.padEnd(widths[i])).join("  ").trimEnd()).join("\n");
}

export const status: Command = {
    name: "status",
    summary: "per node: pod, block height, peers, validator or not, Tessera up, reconciler ok",
    usage: "qctl status -s STACK [--cwd DIR] [--json]",
    help: [
        "Asks every node of the stack, inside its pod, for its block height, peer count and whether it",
        "validates (BFT validator, clique signer, raft role), checks Tessera's /upcheck, and reads the",
        "reconciler's last run (ok, failed with its error, or not-run yet).",
        "Uses your kubectl with the stack's kubernetes:kubeconfig/context and namespace.",
        "Exit status: 0 when every node answers, every Tessera is up and no reconciler is failing, 1 otherwise.",
        "--json prints an array of {node, role, pod, ready, block, peers, validator, raftRole, tessera, reconciler, error, healthy};",
        "tessera is up, down, n/a (no Tessera) or unknown (the pod could not be asked).",
    ],
    async run(argv, io) {
        const args = parseArgs(argv, { values: ["stack", "cwd"], booleans: ["json"] });
        const { config, kubectlFlags } = stackTarget(args);
        const pods = JSON.parse(
            await kubectlOrFail([...kubectlFlags, "get", "pods", "-l", `qstack.io/org=${config.org},app.kubernetes.io/name=goquorum`, "-o", "json"]),
        ) as PodList;
        const byName = new Map(pods.items.map((p) => [p.metadata.name, p]));
        const rows = await Promise.all(
            config.nodes.map(async (node): Promise<NodeStatus> => {
                const pod = byName.get(names.pod(node.name));
                const phase = pod?.status?.phase ?? (pod ? "Unknown" : "missing");
                const ready = (pod?.status?.containerStatuses ?? []).length > 0 && pod!.status!.containerStatuses!.every((c) => c.ready);
                const base = { node: node.name, role: node.role, pod: phase, ready };
                if (phase !== "Running") return { ...base, tessera: node.tessera ? "down" : "n/a", error: `pod ${names.pod(node.name)} is ${phase}`, healthy: false };
                const r = await kubectl([...kubectlFlags, "exec", names.pod(node.name), "-c", "quorum", "--", "sh", "-c", buildNodeStatusScript(config.consensus, node.tessera)], 30_000);
                const chain = r.code === 0 ? parseNodeStatus(r.stdout, node.tessera) : { tessera: node.tessera ? ("unknown" as const) : ("n/a" as const), error: `exec failed: ${briefly(r.stderr)}` };
                const reconcilerFailing = chain.reconciler?.state === "failed";
                return { ...base, ...chain, healthy: chain.error === undefined && chain.tessera !== "down" && !reconcilerFailing && ready };
            }),
        );
        io.out(args.flags.has("json") ? JSON.stringify(rows, null, 2) : table(rows));
        return rows.every((r) => r.healthy) ? 0 : 1;
    },
};
