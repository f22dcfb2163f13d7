/**
 * An organization's settings as a user writes them: the `qstack:` keys of a stack's config, or
 * the arguments of a `QuorumOrganization` built by a program of its own. Everything but `nodes`
 * is optional; `resolveConfig` (./resolve-config.ts) checks every field and fills in the
 * defaults of ./schema.ts, which the `@default` tags below repeat.
 */
import type { Consensus } from "../genesis/genesis";
import type { ImportedNodeKeys } from "../keys/node-key-material";
import type { NodeRole } from "./schema";

/** Kubernetes quantities for one container; unset fields keep the defaults. */
export interface ContainerResourceSettings {
    readonly requests?: { readonly cpu?: string; readonly memory?: string };
    readonly limits?: { readonly cpu?: string; readonly memory?: string };
}

export interface NodeSettings {
    /** DNS-1123 label (at most 40 characters), unique in the consortium. Required. */
    readonly name: string;
    /** @default "validator" */
    readonly role?: NodeRole;
    /** Run a Tessera private transaction manager beside geth. @default true */
    readonly tessera?: boolean;
    /** The node's data volume. @default { size: "10Gi" } on the cluster's default StorageClass */
    readonly storage?: { readonly size?: string; readonly storageClass?: string };
    /**
     * @default quorum: requests 250m / 512Mi, limit 2Gi memory; tessera: requests 100m / 384Mi,
     * limit 1Gi memory
     */
    readonly resources?: { readonly quorum?: ContainerResourceSettings; readonly tessera?: ContainerResourceSettings };
    /** Extra geth flags, long form (`--name=value`); qstack's managed flags are refused. @default [] */
    readonly gethFlags?: readonly string[];
    /** NodePorts to pin. @default - allocated by the API server */
    readonly nodePorts?: { readonly p2p?: number; readonly tessera?: number; readonly raft?: number };
}

export interface OrganizationSettings {
    /** Organization name: a DNS-1123 label of at most 30 characters, unique in the consortium. */
    readonly org?: string;
    /** The organization's nodes; at least one (at least one validator, except for raft). */
    readonly nodes: readonly NodeSettings[];
    /** @default - the org name */
    readonly namespace?: string;
    /** Create the namespace (false: it exists already). @default true */
    readonly createNamespace?: boolean;
    /** @default 1337 */
    readonly chainId?: number;
    /** @default "qbft" */
    readonly consensus?: Consensus;
    /** BFT/clique block period. @default 5 */
    readonly blockPeriodSeconds?: number;
    /** @default 30000 */
    readonly epochLength?: number;
    /** @default 10 */
    readonly requestTimeoutSeconds?: number;
    /**
     * QBFT only: caps the round timeout, which otherwise doubles every round without a block
     * (at least requestTimeoutSeconds; founders only: it is part of the genesis). See the
     * README's config reference for the trade-off.
     * @default - no cap
     */
    readonly maxRequestTimeoutSeconds?: number;
    /** Raft block time in milliseconds. @default 50 */
    readonly raftBlockTimeMs?: number;
    /** @default "0xE0000000" */
    readonly gasLimit?: string;
    /** Genesis balance of every node account, in wei. @default "1000000000000000000000000000" */
    readonly accountBalance?: string;
    /** @default 64 */
    readonly txnSizeLimit?: number;
    /** @default 64 */
    readonly maxCodeSizeKb?: number;
    /** @default { version: "24.4.1", image: "quorumengineering/quorum:<version>" } */
    readonly quorum?: { readonly version?: string; readonly image?: string };
    /** @default { version: "24.4.2", image: "quorumengineering/tessera:<version>" } */
    readonly tessera?: { readonly version?: string; readonly image?: string };
    /** The API server's --service-node-port-range, which pinned NodePorts must be in. @default { type: "NodePort", nodePortRange: "30000-32767" } */
    readonly service?: { readonly type?: "NodePort"; readonly nodePortRange?: string };
    /** Address partners dial. @default - discovered from the cluster's Node addresses */
    readonly nodeIp?: string;
    /** JSON-RPC over an Ingress, one host per node (`<node>.<host>`). @default disabled */
    readonly ingress?: { readonly enabled?: boolean; readonly host?: string; readonly className?: string; readonly tlsSecretName?: string };
    /** @default { enabled: true, externalFrom: "partners", allowCidrs: [] } */
    readonly networkPolicy?: { readonly enabled?: boolean; readonly externalFrom?: "partners" | "anywhere"; readonly allowCidrs?: readonly string[] };
    /** What removing a node or the stack does to its key Secret and data volume. @default "retain" */
    readonly dataRetention?: "retain" | "delete";
    /** @default all off */
    readonly monitoring?: {
        readonly serviceMonitor?: boolean;
        readonly prometheus?: boolean;
        readonly grafana?: boolean;
        readonly prometheusImage?: string;
        readonly grafanaImage?: string;
    };
    /** Cakeshop block explorer. @default disabled */
    readonly explorer?: { readonly enabled?: boolean; readonly image?: string };
    /** The on-demand acceptance test (`qctl test`). @default disabled */
    readonly acceptanceTest?: { readonly enabled?: boolean; readonly node?: string; readonly timeoutSeconds?: number; readonly kubectlImage?: string };
    /** @default { runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000 } */
    readonly securityContext?: { readonly runAsUser?: number; readonly runAsGroup?: number; readonly fsGroup?: number };
    /** APIs served on in-cluster HTTP/WS; never admin or personal. @default ["eth", "net", "web3", "txpool"] */
    readonly rpcApis?: readonly string[];
    /** geth --verbosity. @default 3 */
    readonly gethVerbosity?: number;
    /**
     * Existing keys per node name, kept instead of generated ones. Stack config must hold them
     * as a secret; a component stores them only in Pulumi secrets and Kubernetes Secrets.
     * @default {}
     */
    readonly importedKeys?: Readonly<Record<string, ImportedNodeKeys>>;
    /** Fully qualified partner stack names on this program's backend, read through StackReference. @default [] */
    readonly partners?: readonly string[];
    /** Partner export files (`qctl external-nodes export`), for partners on another backend. @default [] */
    readonly partnerFiles?: readonly string[];
    /** The founder (one of `partners` or `partnerFiles`) whose genesis this organization adopts. @default - it founds the network */
    readonly genesisFrom?: string;
}
