/**
 * static-nodes.json, permissioned-nodes.json and the Tessera peer list.
 *
 * Every node, own or partner, is listed at the address partners dial (node IP + NodePort). The
 * lists are therefore identical in every cluster of the consortium, which raft needs (a node's
 * raft ID is its 1-based position in static-nodes.json, and all nodes must agree on it), and no
 * entry depends on in-cluster DNS, which GoQuorum resolves only once at startup.
 */
import type { Consensus } from "../genesis/genesis";
import { formatEnodeUrl } from "../keys/enode";
import { formatUrlHost } from "../net/address";

/** One node as the peer lists need it. */
export interface PeerNode {
    readonly name: string;
    readonly enodeId: string;
    readonly host: string;
    readonly p2pPort: number;
    /** Reachable raft port; required when consensus is raft. */
    readonly raftPort?: number;
    /** Tessera P2P URL; absent for nodes without Tessera. */
    readonly tesseraUrl?: string;
}

/**
 * Enode URLs of `nodes` in the given order (raft IDs follow this order). permissioned-nodes.json
 * holds the same entries: GoQuorum compares node IDs only, so one list serves both files.
 */
export function buildStaticNodes(nodes: readonly PeerNode[], consensus: Consensus): string[] {
    return nodes.map((n) =>
        formatEnodeUrl({
            enodeId: n.enodeId,
            host: n.host,
            port: n.p2pPort,
            raftPort: consensus === "raft" ? n.raftPort : undefined,
        }),
    );
}

/** Tessera P2P URLs of every node except `self`, without duplicates. */
export function buildTesseraPeers(nodes: readonly PeerNode[], self: string): string[] {
    const urls = nodes.filter((n) => n.name !== self && n.tesseraUrl).map((n) => n.tesseraUrl as string);
    return [...new Set(urls)];
}

/** Tessera's P2P URL for a host and port (an IPv6 host in brackets). */
export function tesseraP2pUrl(host: string, port: number): string {
    return `http://${formatUrlHost(host)}:${port}`;
}
