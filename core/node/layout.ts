/**
 * Where things live inside a node's pod, and the ports it listens on. The StatefulSet, the geth
 * command line, the Tessera config and the lab's chain runner all read these, so a path or port
 * is written exactly once.
 */

/** Container ports (what the processes listen on inside the pod). */
export const PORTS = {
    /** geth devp2p (TCP; discovery is off, so no UDP). */
    p2p: 30303,
    http: 8545,
    ws: 8546,
    /** GoQuorum raft transport. */
    raft: 50400,
    /** geth's standalone metrics server (Prometheus format under /debug/metrics/prometheus). */
    metrics: 9545,
    /** Tessera P2P API (partner Tesseras). */
    tesseraP2p: 9000,
    /** Tessera ThirdParty API (in-cluster clients). */
    tesseraThirdParty: 9080,
} as const;

/** Paths inside the pod. */
export const PATHS = {
    /** The persistent volume. */
    data: "/data",
    /** geth --datadir (on the volume). */
    quorumDataDir: "/data/quorum",
    /** Tessera's H2 database directory (on the volume). */
    tesseraDataDir: "/data/tessera",
    /** The node's key Secret, mounted read-only. */
    keys: "/qstack/keys",
    genesisDir: "/qstack/genesis",
    staticNodesDir: "/qstack/static-nodes",
    permissionedNodesDir: "/qstack/permissioned-nodes",
    tesseraConfigDir: "/qstack/tessera",
    /** emptyDir shared by geth and Tessera for the Q2T unix socket. */
    tesseraIpcDir: "/qstack/tm-ipc",
    /** emptyDir for the JVM and other scratch files (root filesystem is read-only). */
    tmp: "/tmp",
} as const;

/** File names inside the key Secret. */
export const KEY_FILES = {
    nodeKey: "nodekey",
    accountKeystore: "account-keystore.json",
    accountPassword: "account-password",
    tesseraPrivateKey: "tm.key",
    tesseraPublicKey: "tm.pub",
} as const;

/** File names inside the shared ConfigMaps. */
export const CONFIG_FILES = {
    genesis: "genesis.json",
    staticNodes: "static-nodes.json",
    permissionedNodes: "permissioned-nodes.json",
    tesseraConfig: "tessera-config.json",
} as const;

export const TESSERA_IPC = `${PATHS.tesseraIpcDir}/tm.ipc`;
