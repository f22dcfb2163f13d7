/**
 * What `qctl status` asks each node, and how it reads the answer. The script runs in the node's
 * geth container (over the IPC socket, where the consensus namespaces are always available) and
 * checks Tessera's `/upcheck` from inside the pod, so nothing needs a published port.
 */
import type { Consensus } from "../genesis/genesis";
import { PATHS, PORTS } from "./layout";
import { RECONCILER_STATUS_FILE, parseReconcilerStatus, type ReconcilerStatus } from "./reconciler";

export interface NodeChainStatus {
    readonly block?: number;
    readonly peers?: number;
    /** BFT validator, clique signer, or raft member that is not a learner. */
    readonly validator?: boolean;
    /** raft only: minter (leader), verifier or learner. */
    readonly raftRole?: string;
    /** "n/a" when the node runs no Tessera; "unknown" when the pod could not be asked. */
    readonly tessera: "up" | "down" | "n/a" | "unknown";
    /** The reconciler's last run, from its status file on the pod's shared /tmp. */
    readonly reconciler?: ReconcilerStatus;
    /** What went wrong when geth did not answer. */
    readonly error?: string;
}

// istanbul.nodeAddress is a property in GoQuorum 24.4.1 (internal/web3ext/web3ext.go); calling it throws.
const VALIDATOR_EXPRESSION: Record<Consensus, string> = {
    qbft: "s.validator = istanbul.getValidators('latest').map(lower).indexOf(String(istanbul.nodeAddress).toLowerCase()) >= 0;",
    ibft: "s.validator = istanbul.getValidators('latest').map(lower).indexOf(String(istanbul.nodeAddress).toLowerCase()) >= 0;",
    clique: "s.validator = clique.getSigners().map(lower).indexOf(eth.coinbase.toLowerCase()) >= 0;",
    raft: "s.raftRole = raft.role; s.validator = raft.role !== 'learner';",
};

/** The console JavaScript of the status question; prints one `QSTATUS {json}` line. */
export function buildNodeStatusConsoleScript(consensus: Consensus): string {
    return [
        "function lower(a) { return a.toLowerCase(); }",
        "var s = {block: eth.blockNumber, peers: net.peerCount};",
        `try { ${VALIDATOR_EXPRESSION[consensus]} } catch (e) { s.validatorError = String(e); }`,
        "console.log('QSTATUS ' + JSON.stringify(s));",
    ].join(" ");
}

/** The shell script `qctl status` runs in a node's geth container. */
export function buildNodeStatusScript(consensus: Consensus, tessera: boolean): string {
    const js = buildNodeStatusConsoleScript(consensus);
    const lines = [
        `geth attach --exec "${js}" ${PATHS.quorumDataDir}/geth.ipc 2>&1 | tail -n 5`,
        `echo "QRECONCILE $(cat ${RECONCILER_STATUS_FILE} 2>/dev/null)"`,
    ];
    if (tessera) {
        // `timeout`, not wget's own -T: BusyBox 1.35's wget (Debian's busybox-static, the lab image's)
        // segfaults with -T, which read as "Tessera down" on every real node.
        lines.push(`if timeout 3 wget -q -O - http://127.0.0.1:${PORTS.tesseraP2p}/upcheck 2>/dev/null | grep -q "up"; then echo "QTESSERA up"; else echo "QTESSERA down"; fi`);
    }
    return lines.join("\n");
}

/** Reads the script's output. */
export function parseNodeStatus(output: string, tessera: boolean): NodeChainStatus {
    const tesseraState = !tessera ? "n/a" : /^QTESSERA up$/m.test(output) ? "up" : "down";
    const reconcilerLine = /^QRECONCILE ?(.*)$/m.exec(output);
    const reconciler = reconcilerLine ? { reconciler: parseReconcilerStatus(reconcilerLine[1]) } : {};
    const line = /^QSTATUS (.*)$/m.exec(output);
    if (!line) {
        const lastWords = output.split("\n").filter((l) => l.trim() && !/^Q(TESSERA|RECONCILE)/.test(l)).slice(-2).join(" ").trim();
        return { tessera: tesseraState, ...reconciler, error: lastWords || "no answer from geth" };
    }
    try {
        const s = JSON.parse(line[1]) as { block: number; peers: number; validator?: boolean; raftRole?: string; validatorError?: string };
        return {
            block: s.block,
            peers: s.peers,
            validator: s.validator,
            raftRole: s.raftRole,
            tessera: tesseraState,
            ...reconciler,
            ...(s.validatorError ? { error: s.validatorError } : {}),
        };
    } catch {
        return { tessera: tesseraState, ...reconciler, error: `unreadable answer: ${line[1].slice(0, 80)}` };
    }
}
