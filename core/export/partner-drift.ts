/**
 * Partner drift: whether the partner exports a stack consumed at its last update are still the
 * partners' current ones. Each stack exports, per partner, a digest of the `externalNodes`
 * document it merged and the facts its peer lists and NetworkPolicy depend on (the `partners`
 * output, {@link consumedPartner}); comparing that with the partner's export now says, without a
 * preview, which stacks must update and why. Public data only.
 */
import { canonicalHash } from "../genesis/canonical-json";
import type { ExternalNodesDocument } from "./external-nodes";

/** One partner node as a consuming stack's peer lists and Tessera peers used it. */
export interface ConsumedNode {
    readonly name: string;
    readonly role: string;
    readonly enodeId: string;
    readonly p2pNodePort: number;
    readonly tesseraP2pUrl?: string;
}

/** What a stack records about one partner export it consumed (an element of its `partners` output). */
export interface ConsumedPartner {
    /** The partner's stack name (`qstack:partners`) or export file (`qstack:partnerFiles`). */
    readonly source: string;
    /** Where `source` is read: the backend (a StackReference) or a file relative to the project. */
    readonly via: "stack" | "file";
    readonly org: string;
    /** Number of the partner's nodes. */
    readonly nodes: number;
    /** {@link externalNodesDigest} of the document consumed. */
    readonly digest: string;
    readonly nodeIp: string;
    readonly consumedNodes: readonly ConsumedNode[];
}

/** keccak256 of the document's canonical JSON: equal documents, equal digests, whoever computes it. */
export function externalNodesDigest(doc: ExternalNodesDocument): string {
    return canonicalHash(doc);
}

export function consumedPartner(source: string, via: ConsumedPartner["via"], doc: ExternalNodesDocument): ConsumedPartner {
    return {
        source,
        via,
        org: doc.org,
        nodes: doc.nodes.length,
        digest: externalNodesDigest(doc),
        nodeIp: doc.nodeIp,
        consumedNodes: doc.nodes.map((n) => ({
            name: n.name,
            role: n.role,
            enodeId: n.enodeId,
            p2pNodePort: n.p2pNodePort,
            ...(n.tesseraP2pUrl ? { tesseraP2pUrl: n.tesseraP2pUrl } : {}),
        })),
    };
}

/**
 * What differs between the export a stack consumed and the partner's current one, in words
 * ("node b-member2 added", "node IP 10.0.0.1 -> 10.0.0.2"); empty when the digests are equal.
 * A change the node facts do not show (the genesis, say) is reported by its digests.
 */
export function describeDrift(consumed: ConsumedPartner, current: ExternalNodesDocument): string[] {
    const digest = externalNodesDigest(current);
    if (digest === consumed.digest) return [];
    const changes: string[] = [];
    if (current.nodeIp !== consumed.nodeIp) changes.push(`node IP ${consumed.nodeIp} -> ${current.nodeIp}`);
    const before = new Map(consumed.consumedNodes.map((n) => [n.name, n]));
    const now = new Map(current.nodes.map((n) => [n.name, n]));
    for (const n of current.nodes) if (!before.has(n.name)) changes.push(`node ${n.name} added`);
    for (const n of consumed.consumedNodes) if (!now.has(n.name)) changes.push(`node ${n.name} removed`);
    for (const [name, was] of before) {
        const is = now.get(name);
        if (!is) continue;
        if (is.p2pNodePort !== was.p2pNodePort) changes.push(`node ${name} p2p NodePort ${was.p2pNodePort} -> ${is.p2pNodePort}`);
        if ((is.tesseraP2pUrl ?? "none") !== (was.tesseraP2pUrl ?? "none")) changes.push(`node ${name} Tessera URL ${was.tesseraP2pUrl ?? "none"} -> ${is.tesseraP2pUrl ?? "none"}`);
        if (is.enodeId !== was.enodeId) changes.push(`node ${name} enode id changed (new keys)`);
        if (is.role !== was.role) changes.push(`node ${name} role ${was.role} -> ${is.role}`);
    }
    if (changes.length === 0) changes.push(`export changed (digest ${consumed.digest.slice(0, 10)}… -> ${digest.slice(0, 10)}…), not in its nodes or node IP`);
    return changes;
}
