/**
 * Kubernetes stores an object in one etcd value and refuses one over 1 MiB. The ConfigMaps
 * qstack generates grow with the consortium: static-nodes.json and permissioned-nodes.json list
 * every node, the reconciler's script embeds that list and the validators, and each node's
 * Tessera config lists every other Tessera. So a large enough consortium would be refused by
 * the API server half-way through an update. This module sizes those ConfigMaps for a
 * consortium before anything is declared, with the generators themselves on worst-case inputs
 * (the longest address a node can have, distinct five-digit ports), and refuses a consortium whose
 * ConfigMaps would not fit.
 */
import type { Consensus } from "../genesis/genesis";
import { QstackError } from "../errors";
import { buildReconcileScript } from "../node/reconciler";
import { buildTesseraConfig } from "../node/tessera-config";
import { buildStaticNodes, buildTesseraPeers, tesseraP2pUrl, type PeerNode } from "../peers/peer-lists";

/** The API server's (etcd's) limit for one object. */
export const OBJECT_LIMIT_BYTES = 1024 * 1024;
/** Left for metadata: labels, annotations and server-side apply's managedFields. */
export const METADATA_HEADROOM_BYTES = 64 * 1024;
export const CONFIG_MAP_DATA_LIMIT_BYTES = OBJECT_LIMIT_BYTES - METADATA_HEADROOM_BYTES;

/** The longest node address: an IPv6 address in full (formatted in brackets in URLs). */
export const WORST_CASE_HOST = "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff";

/** One node of the consortium, as far as the sizes depend on it. */
export interface SizedNode {
    readonly name: string;
    /** Its address if known (a partner's export, an explicit qstack:nodeIp); else the worst case. */
    readonly host?: string;
    readonly validator: boolean;
    readonly tessera: boolean;
}

export interface ConsortiumShape {
    readonly consensus: Consensus;
    /** Every node of the consortium: this organization's and every partner's. */
    readonly nodes: readonly SizedNode[];
    /** This stack's namespace (part of each Tessera config). @default - the longest DNS label */
    readonly namespace?: string;
}

export interface ConfigMapSize {
    readonly configMap: string;
    readonly bytes: number;
}

const bytes = (text: string) => Buffer.byteLength(text, "utf8");

/** Five-digit ports, distinct per node: the Tessera peer list drops duplicate URLs, so equal ones would undercount it. */
const worstPort = (i: number) => 60000 + (i % 5536);

function worstPeers(shape: ConsortiumShape): PeerNode[] {
    return shape.nodes.map((n, i) => {
        const host = n.host ?? WORST_CASE_HOST;
        return {
            name: n.name,
            enodeId: "f".repeat(128),
            host,
            p2pPort: worstPort(i),
            ...(shape.consensus === "raft" ? { raftPort: worstPort(i) } : {}),
            ...(n.tessera ? { tesseraUrl: tesseraP2pUrl(host, worstPort(i)) } : {}),
        };
    });
}

/** Upper bounds of the data bytes of the ConfigMaps that grow with the consortium. */
export function consortiumConfigMapSizes(shape: ConsortiumShape): ConfigMapSize[] {
    const peers = worstPeers(shape);
    const enodes = buildStaticNodes(peers, shape.consensus);
    const list = JSON.stringify(enodes, null, 2);
    const validators = shape.nodes.filter((n) => n.validator).map(() => `0x${"f".repeat(40)}`);
    const sizes: ConfigMapSize[] = [
        { configMap: "static-nodes.json", bytes: bytes(list) },
        { configMap: "permissioned-nodes.json", bytes: bytes(list) },
        { configMap: "reconciler script", bytes: bytes(buildReconcileScript({ consensus: shape.consensus, enodes, validators })) },
    ];
    const tessera = peers.find((p) => p.tesseraUrl);
    if (tessera) {
        const namespace = shape.namespace ?? "n".repeat(63);
        const config = buildTesseraConfig({
            p2pUrl: tessera.tesseraUrl as string,
            thirdPartyUrl: `http://${"n".repeat(63)}.${namespace}.svc:65535`,
            peerUrls: buildTesseraPeers(peers, tessera.name),
        });
        sizes.push({ configMap: "Tessera config", bytes: bytes(JSON.stringify(config, null, 2)) });
    }
    return sizes;
}

/** The most nodes a consortium shaped like `shape` (its mix of validators, Tessera and addresses, repeated) can have. */
export function maxConsortiumNodes(shape: ConsortiumShape): number {
    const template = shape.nodes.length > 0 ? shape.nodes : [{ name: "n", validator: true, tessera: true }];
    const of = (count: number): ConsortiumShape => ({
        ...shape,
        nodes: Array.from({ length: count }, (_, i) => ({ ...template[i % template.length], name: `n${i}` })),
    });
    const fits = (count: number) => consortiumConfigMapSizes(of(count)).every((s) => s.bytes <= CONFIG_MAP_DATA_LIMIT_BYTES);
    let lo = 1;
    let hi = 2;
    while (fits(hi)) hi *= 2;
    while (lo + 1 < hi) {
        const mid = Math.floor((lo + hi) / 2);
        if (fits(mid)) lo = mid;
        else hi = mid;
    }
    return lo;
}

/**
 * Refuses a consortium whose ConfigMaps would not fit in a Kubernetes object.
 * @throws QstackError INVALID_CONFIG naming the ConfigMap, its size, the limit and the most nodes allowed.
 */
export function checkConsortiumFits(shape: ConsortiumShape, key = "qstack:nodes"): void {
    const over = consortiumConfigMapSizes(shape).filter((s) => s.bytes > CONFIG_MAP_DATA_LIMIT_BYTES);
    if (over.length === 0) return;
    const max = maxConsortiumNodes(shape);
    throw new QstackError(
        "INVALID_CONFIG",
        over.map((s) => ({
            key,
            reason: `the ${s.configMap} ConfigMap would hold up to ${Math.ceil(s.bytes / 1024)} KiB for a consortium of ${shape.nodes.length} nodes, over the ${CONFIG_MAP_DATA_LIMIT_BYTES / 1024} KiB a Kubernetes object leaves its data (1 MiB less metadata)`,
            allowed: `at most ${max} nodes in the consortium, this organization's and every partner's together`,
        })),
    );
}
