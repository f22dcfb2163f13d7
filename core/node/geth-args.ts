/**
 * The geth command line of a node, per consensus (formats doc §5; GoQuorum cmd/utils/flags.go).
 *
 * HTTP and WS listen on all pod addresses but are only published through the ClusterIP Service,
 * and serve only the APIs in `rpcApis`: `admin` and `personal` are reachable solely over the
 * in-pod IPC socket (`qctl geth attach`). Keys are read from the Secret mount.
 */
import type { Consensus } from "../genesis/genesis";
import type { NodeRole } from "../config/schema";
import { CONSENSUS_RPC_API } from "../config/schema";
import { KEY_FILES, PATHS, PORTS, TESSERA_IPC } from "./layout";

/**
 * Flags qstack sets itself. A user's `gethFlags` may not contain them: changing them would break
 * the node's wiring (ports, keys, privacy) or expose admin APIs.
 */
export const MANAGED_GETH_FLAGS = [
    "--datadir", "--nodiscover", "--permissioned", "--networkid", "--port", "--nodekey", "--nodekeyhex", "--keystore",
    "--password", "--unlock", "--allow-insecure-unlock", "--http", "--http.addr", "--http.port", "--http.api",
    "--ws", "--ws.addr", "--ws.port", "--ws.api", "--rpc", "--rpcaddr", "--rpcport", "--rpcapi", "--wsapi",
    "--graphql", "--mine", "--raft", "--raftport", "--raftjoinexisting", "--ptm.socket", "--ptm.url",
    "--metrics", "--metrics.addr", "--metrics.port", "--ipcdisable", "--ipcpath",
] as const;

export interface GethArgsInput {
    readonly consensus: Consensus;
    readonly chainId: number;
    readonly nodeName: string;
    readonly role: NodeRole;
    readonly tessera: boolean;
    readonly rpcApis: readonly string[];
    readonly verbosity: number;
    readonly raftBlockTimeMs: number;
    readonly extraFlags: readonly string[];
}

/** The APIs served over HTTP/WS: the configured ones plus the consensus namespace. */
export function httpApis(consensus: Consensus, rpcApis: readonly string[]): string {
    return [...new Set([...rpcApis, CONSENSUS_RPC_API[consensus]])].join(",");
}

/** Full geth argument vector (without the `geth` executable). */
export function buildGethArgs(i: GethArgsInput): string[] {
    const apis = httpApis(i.consensus, i.rpcApis);
    const args = [
        "--datadir", PATHS.quorumDataDir,
        "--nodekey", `${PATHS.keys}/${KEY_FILES.nodeKey}`,
        "--identity", i.nodeName,
        "--networkid", String(i.chainId),
        "--nodiscover",
        // No UPnP/NAT-PMP probing of the pod network: partners dial the exported node IP and
        // NodePort, which no NAT mapping from inside a pod could provide.
        "--nat", "none",
        "--permissioned",
        "--syncmode", "full",
        "--gcmode", "archive",
        "--port", String(PORTS.p2p),
        "--http", "--http.addr", "0.0.0.0", "--http.port", String(PORTS.http), "--http.api", apis, "--http.vhosts", "*",
        "--ws", "--ws.addr", "0.0.0.0", "--ws.port", String(PORTS.ws), "--ws.api", apis, "--ws.origins", "*",
        "--metrics", "--metrics.addr", "0.0.0.0", "--metrics.port", String(PORTS.metrics),
        "--verbosity", String(i.verbosity),
        "--miner.gasprice", "0",
        "--emitcheckpoints",
    ];
    if (i.tessera) args.push("--ptm.socket", TESSERA_IPC, "--ptm.timeout", "5");
    switch (i.consensus) {
        case "qbft":
        case "ibft":
            if (i.role === "validator") args.push("--mine", "--miner.threads", "1");
            break;
        case "clique":
            // A clique signer seals with its (only) keystore account, which must be unlocked;
            // geth insists on --allow-insecure-unlock whenever HTTP is on, even in-cluster only.
            if (i.role === "validator") {
                args.push("--mine", "--miner.threads", "1", "--unlock", "0",
                    "--password", `${PATHS.keys}/${KEY_FILES.accountPassword}`, "--allow-insecure-unlock");
            }
            break;
        case "raft":
            // Peers are addressed by IP, but --raftdnsenable keeps DNS names in enode URLs usable.
            args.push("--raft", "--raftport", String(PORTS.raft), "--raftblocktime", String(i.raftBlockTimeMs), "--raftdnsenable");
            break;
    }
    return [...args, ...i.extraFlags];
}

/**
 * Shell script of the init container: `geth init` on first start only (a re-init would be
 * refused once chaindata exists), the keystore copied in (geth skips symlinked key files, which
 * is what Secret mounts are), and the peer lists linked from their ConfigMap directories so
 * kubelet's updates of permissioned-nodes.json reach the running node. It must succeed on every
 * restart of the pod, on the volume the previous start left.
 */
export function buildInitScript(): string {
    const d = PATHS.quorumDataDir;
    return [
        "set -eu",
        `mkdir -p ${d}/keystore ${PATHS.tesseraDataDir}`,
        `if [ ! -d ${d}/geth/chaindata ]; then geth --datadir ${d} init ${PATHS.genesisDir}/genesis.json; fi`,
        // -f: the copy a previous start made is read-only (Secret files are 0440), and a restarted
        // pod must replace it rather than fail (found on the lab's real nodes).
        `cp -f ${PATHS.keys}/${KEY_FILES.accountKeystore} ${d}/keystore/account.json`,
        `ln -sf ${PATHS.staticNodesDir}/static-nodes.json ${d}/static-nodes.json`,
        `ln -sf ${PATHS.permissionedNodesDir}/permissioned-nodes.json ${d}/permissioned-nodes.json`,
    ].join("\n");
}
