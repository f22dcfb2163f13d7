/**
 * The stack configuration (namespace `qstack:`): its resolved, fully-defaulted shape and every
 * default in one place. `resolveConfig` (./resolve-config.ts) turns raw Pulumi config into this.
 *
 * A 4-node QBFT network with Tessera needs only `org` and `nodes`:
 *
 * ```yaml
 * config:
 *   qstack:org: org-a
 *   qstack:nodes:
 *     - name: validator1
 *     - name: validator2
 *     - name: validator3
 *     - name: member1
 *       role: member
 * ```
 */
import type { Consensus } from "../genesis/genesis";
import type { ImportedNodeKeys } from "../keys/node-key-material";
import type { SettingsSource } from "./settings-source";

export const NODE_ROLES = ["validator", "member"] as const;
/** `validator` seals blocks (BFT validator, clique signer, raft peer); `member` only follows. */
export type NodeRole = (typeof NODE_ROLES)[number];

/**
 * JSON-RPC namespaces that may be served over HTTP/WS. `admin` and `personal` never are, and
 * `quorum` is not one: GoQuorum 24.4.1 registers no such namespace and logs
 * "Unavailable modules in HTTP API list unavailable=[quorum]" for it.
 */
export const EXPOSABLE_RPC_APIS = [
    "eth", "net", "web3", "txpool", "istanbul", "raft", "clique", "debug", "miner",
    "quorumPermission", "quorumExtension",
] as const;

/** Kubernetes resource requests/limits for one container. */
export interface ContainerResources {
    readonly requests: { readonly cpu: string; readonly memory: string };
    readonly limits: { readonly cpu?: string; readonly memory: string };
}

/** NodePorts pinned by the operator; unset ports are allocated by the API server. */
export interface PinnedNodePorts {
    readonly p2p?: number;
    readonly tessera?: number;
    readonly raft?: number;
}

export interface NodeConfig {
    /** DNS-1123 label, unique in the consortium; names the StatefulSet, Services, Secret. */
    readonly name: string;
    /** @default "validator" */
    readonly role: NodeRole;
    /** Run a Tessera private transaction manager beside geth. @default true */
    readonly tessera: boolean;
    readonly storage: {
        /** @default "10Gi" */
        readonly size: string;
        /** @default - the cluster's default StorageClass */
        readonly storageClass?: string;
    };
    readonly resources: { readonly quorum: ContainerResources; readonly tessera: ContainerResources };
    /** Extra geth flags appended to the managed command line. @default [] */
    readonly gethFlags: readonly string[];
    /** @default - allocated by the API server */
    readonly nodePorts: PinnedNodePorts;
}

export interface NetworkConfig {
    /** Where these settings were written; errors name them accordingly (`qstack:…` or `args.…`). */
    readonly settingsSource: SettingsSource;
    /** Organization name (DNS-1123 label); prefixes Pulumi resource names and labels. Required. */
    readonly org: string;
    /** @default - the org name */
    readonly namespace: string;
    /** @default true */
    readonly createNamespace: boolean;
    /** @default 1337 */
    readonly chainId: number;
    /** @default "qbft" */
    readonly consensus: Consensus;
    /** BFT/clique block period. @default 5 */
    readonly blockPeriodSeconds: number;
    /** @default 30000 */
    readonly epochLength: number;
    /** @default 10 */
    readonly requestTimeoutSeconds: number;
    /**
     * QBFT: the cap on the round timeout, which otherwise doubles every round a block is not
     * agreed. A genesis setting (set by the founder, frozen at first deployment).
     * @default - no cap (GoQuorum's default)
     */
    readonly maxRequestTimeoutSeconds?: number;
    /** Raft block time in milliseconds. @default 50 */
    readonly raftBlockTimeMs: number;
    /** @default "0xE0000000" */
    readonly gasLimit: string;
    /** Genesis balance of every node account, wei. @default "1000000000000000000000000000" */
    readonly accountBalance: string;
    /** @default 64 */
    readonly txnSizeLimit: number;
    /** @default 64 */
    readonly maxCodeSizeKb: number;
    readonly quorum: { readonly version: string; readonly image: string };
    readonly tessera: { readonly version: string; readonly image: string };
    readonly nodes: readonly NodeConfig[];
    readonly service: { readonly type: "NodePort"; readonly nodePortRange: { readonly min: number; readonly max: number } };
    /** Address partners dial. @default - discovered from the cluster's Node addresses */
    readonly nodeIp?: string;
    readonly ingress: {
        readonly enabled: boolean;
        readonly host?: string;
        readonly className?: string;
        readonly tlsSecretName?: string;
    };
    readonly networkPolicy: {
        readonly enabled: boolean;
        /**
         * Who may reach the external (NodePort) ports: `partners` allows only the partners'
         * exported node IPs plus `allowCidrs`, and keeps client source IPs visible to the policy
         * (externalTrafficPolicy Local); `anywhere` allows any source. @default "partners"
         */
        readonly externalFrom: "partners" | "anywhere";
        /** Extra sources for the external ports, e.g. a partner's NAT gateway. @default [] */
        readonly allowCidrs: readonly string[];
    };
    /**
     * What `pulumi destroy` (or removing a node) does to key Secrets and data volumes: `retain`
     * keeps both, `delete` removes both. @default "retain"
     */
    readonly dataRetention: "retain" | "delete";
    readonly monitoring: {
        /** Prometheus Operator ServiceMonitor for the nodes' geth metrics. @default false */
        readonly serviceMonitor: boolean;
        /** An in-namespace Prometheus scraping the nodes (geth and Tessera). @default false */
        readonly prometheus: boolean;
        /** Grafana with the qstack dashboard, reading that Prometheus. @default false */
        readonly grafana: boolean;
        readonly prometheusImage: string;
        readonly grafanaImage: string;
    };
    /** Cakeshop block explorer wired to the org's nodes. @default disabled */
    readonly explorer: { readonly enabled: boolean; readonly image: string };
    /**
     * The on-demand acceptance test (`qctl test`): a suspended CronJob whose runs send a public
     * and a private contract through the org's nodes. @default disabled
     */
    readonly acceptanceTest: {
        readonly enabled: boolean;
        /** @default - the first node running Tessera */
        readonly node?: string;
        /** @default 600 */
        readonly timeoutSeconds: number;
        readonly kubectlImage: string;
    };
    readonly securityContext: { readonly runAsUser: number; readonly runAsGroup: number; readonly fsGroup: number };
    /** APIs served on in-cluster HTTP/WS. */
    readonly rpcApis: readonly string[];
    /** geth --verbosity. @default 3 */
    readonly gethVerbosity: number;
    /** Existing keys per node name (secret config). @default {} */
    readonly importedKeys: Readonly<Record<string, ImportedNodeKeys>>;
    /** Fully qualified partner stack names (same Pulumi backend). @default [] */
    readonly partners: readonly string[];
    /** Partner export files (`qctl external-nodes export`), for partners on another backend. @default [] */
    readonly partnerFiles: readonly string[];
    /** The founder (an entry of `partners` or `partnerFiles`) whose genesis this stack adopts. @default - this stack founds the network */
    readonly genesisFrom?: string;
}

/** Every default, in one place; the README's config reference and a test keep them honest. */
export const DEFAULTS = {
    chainId: 1337,
    consensus: "qbft" as Consensus,
    createNamespace: true,
    blockPeriodSeconds: 5,
    epochLength: 30000,
    requestTimeoutSeconds: 10,
    raftBlockTimeMs: 50,
    gasLimit: "0xE0000000",
    accountBalance: "1000000000000000000000000000",
    txnSizeLimit: 64,
    maxCodeSizeKb: 64,
    quorumVersion: "24.4.1",
    quorumImageRepository: "quorumengineering/quorum",
    tesseraVersion: "24.4.2",
    tesseraImageRepository: "quorumengineering/tessera",
    role: "validator" as NodeRole,
    tessera: true,
    storageSize: "10Gi",
    quorumResources: { requests: { cpu: "250m", memory: "512Mi" }, limits: { memory: "2Gi" } },
    tesseraResources: { requests: { cpu: "100m", memory: "384Mi" }, limits: { memory: "1Gi" } },
    serviceType: "NodePort" as const,
    nodePortRange: "30000-32767",
    ingressEnabled: false,
    networkPolicyEnabled: true,
    networkPolicyExternalFrom: "partners" as const,
    serviceMonitor: false,
    prometheus: false,
    grafana: false,
    /**
     * Prometheus' long-term-support line 3.13, supported until July 2027 (cited when GitLab's
     * omnibus moved to v3.13.2, gitlab-org/omnibus-gitlab!9666). Needs ≥ 2.41 (`keepequal`).
     */
    prometheusImage: "prom/prometheus:v3.13.2",
    /**
     * The last Grafana 12 minor, still getting security releases (grafana/grafana#124897); it
     * serves the classic dashboard JSON natively, while 13 converts dashboards on load.
     */
    grafanaImage: "grafana/grafana:12.4.5",
    explorerEnabled: false,
    /** The last Cakeshop release (the project is deprecated since 2022; see README). */
    explorerImage: "quorumengineering/cakeshop:0.12.1",
    acceptanceTestEnabled: false,
    acceptanceTestTimeoutSeconds: 600,
    /** registry.k8s.io/kubectl: entrypoint /bin/kubectl (kubernetes build/server-image/kubectl). */
    kubectlImage: "registry.k8s.io/kubectl:v1.34.0",
    dataRetention: "retain" as const,
    securityContext: { runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000 },
    rpcApis: ["eth", "net", "web3", "txpool"],
    gethVerbosity: 3,
} as const;

/** Every top-level key the program reads; anything else is a typo and is rejected. */
export const CONFIG_KEYS = [
    "org", "namespace", "createNamespace", "chainId", "consensus", "blockPeriodSeconds", "epochLength",
    "requestTimeoutSeconds", "maxRequestTimeoutSeconds", "raftBlockTimeMs", "gasLimit", "accountBalance", "txnSizeLimit", "maxCodeSizeKb",
    "quorum", "tessera", "nodes", "service", "nodeIp", "ingress", "networkPolicy", "monitoring", "explorer", "acceptanceTest", "dataRetention", "securityContext", "rpcApis",
    "gethVerbosity", "importedKeys", "partners", "partnerFiles", "genesisFrom",
] as const;

/** Per-node keys. */
export const NODE_KEYS = ["name", "role", "tessera", "storage", "resources", "gethFlags", "nodePorts"] as const;

/** The consensus API namespace each algorithm adds to the RPC APIs. */
export const CONSENSUS_RPC_API: Record<Consensus, string> = {
    qbft: "istanbul",
    ibft: "istanbul",
    raft: "raft",
    clique: "clique",
};
