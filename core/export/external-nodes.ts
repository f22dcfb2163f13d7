/**
 * The `externalNodes` stack output: what partner organizations need to peer with this one.
 *
 * Versioned so that a consumer can refuse a document it does not understand. Only public data:
 * enode IDs, addresses, Tessera public keys, reachable host and ports.
 */
import { getAddress } from "ethers";
import type { Consensus } from "../genesis/genesis";
import { CONSENSUS_ALGORITHMS, computeGenesisHash } from "../genesis/genesis";
import { ProblemList } from "../errors";
import { enodeIdToAddress, formatEnodeUrl, isEnodeId, isPort, parseEnodeUrl } from "../keys/enode";
import { ADDRESS_ALLOWED, addressProblem, parseUrlHost } from "../net/address";
import { tesseraP2pUrl } from "../peers/peer-lists";
import { isBase64Key } from "../keys/tessera-key";
import type { NodeRole } from "../config/schema";
import { NODE_ROLES } from "../config/schema";

/** Bump when a field changes meaning or disappears; adding optional fields does not bump. */
export const EXTERNAL_NODES_SCHEMA_VERSION = 1;

export interface ExternalNode {
    readonly name: string;
    readonly role: NodeRole;
    /** 128 hex, no 0x. */
    readonly enodeId: string;
    /** `enode://<id>@<nodeIp>:<p2pNodePort>?discport=0[&raftport=<raftNodePort>]` */
    readonly enodeUrl: string;
    /** EIP-55 nodekey address (IBFT/QBFT validator address). */
    readonly validatorAddress: string;
    /** EIP-55 account address (genesis allocation, clique signer). */
    readonly accountAddress: string;
    readonly nodeIp: string;
    readonly p2pNodePort: number;
    /** Present when the node runs Tessera. */
    readonly tesseraP2pUrl?: string;
    readonly tesseraPublicKey?: string;
    /** Present when consensus is raft. */
    readonly raftNodePort?: number;
}

export interface ExternalNodesDocument {
    readonly schemaVersion: number;
    readonly org: string;
    readonly chainId: number;
    readonly consensus: Consensus;
    /** keccak256 of the canonical genesis JSON. */
    readonly genesisHash: string;
    /** genesis.json as deployed; joiners adopt it byte for byte. */
    readonly genesis: string;
    readonly nodeIp: string;
    /**
     * The namespace of the organization's node pods. A partner in the same cluster (same
     * nodeIp) admits them by it in its NetworkPolicy. Absent in exports before it was added.
     */
    readonly namespace?: string;
    readonly nodes: readonly ExternalNode[];
}

/** Per-node facts from which an {@link ExternalNode} is assembled. */
export interface ExternalNodeInput {
    readonly name: string;
    readonly role: NodeRole;
    readonly enodeId: string;
    readonly nodeAddress: string;
    readonly accountAddress: string;
    readonly tesseraPublicKey?: string;
    readonly p2pNodePort: number;
    readonly tesseraNodePort?: number;
    readonly raftNodePort?: number;
}

export function buildExternalNode(i: ExternalNodeInput, nodeIp: string, consensus: Consensus): ExternalNode {
    const raft = consensus === "raft" ? i.raftNodePort : undefined;
    return {
        name: i.name,
        role: i.role,
        enodeId: i.enodeId,
        enodeUrl: formatEnodeUrl({ enodeId: i.enodeId, host: nodeIp, port: i.p2pNodePort, raftPort: raft }),
        validatorAddress: i.nodeAddress,
        accountAddress: i.accountAddress,
        nodeIp,
        p2pNodePort: i.p2pNodePort,
        ...(i.tesseraNodePort !== undefined && i.tesseraPublicKey
            ? { tesseraP2pUrl: tesseraP2pUrl(nodeIp, i.tesseraNodePort), tesseraPublicKey: i.tesseraPublicKey }
            : {}),
        ...(raft !== undefined ? { raftNodePort: raft } : {}),
    };
}

/** Why `url` is not a Tessera P2P URL partners can dial, or undefined. */
function tesseraUrlProblem(url: string): string | undefined {
    const m = /^https?:\/\/(\[[^\]]*\]|[^/:[\]]+):(\d+)\/?$/.exec(url);
    if (!m) return "not an http(s) URL with host and port";
    const host = parseUrlHost(m[1]);
    const problem = addressProblem(host);
    if (problem) return `host ${host} ${problem}`;
    return isPort(Number(m[2])) ? undefined : `port ${m[2]} is outside 1-65535`;
}

/**
 * Validates a document received from a partner (StackReference output or exported file).
 * `source` names it in errors, e.g. `partner org-b/clusterB`.
 * @throws QstackError INVALID_PARTNER listing every problem.
 */
export function parseExternalNodesDocument(raw: unknown, source: string): ExternalNodesDocument {
    const problems = new ProblemList();
    const fail = (field: string, reason: string, value: unknown, allowed: string) =>
        problems.add({ key: `${source}: externalNodes.${field}`, reason, value, allowed });
    const doc = (raw ?? {}) as Partial<ExternalNodesDocument>;
    if (typeof raw !== "object" || raw === null) {
        fail("", "not an externalNodes document", raw, "the externalNodes output of a qstack stack");
        problems.throwIfAny("INVALID_PARTNER", `partner ${source} is unusable`);
    }
    if (doc.schemaVersion !== EXTERNAL_NODES_SCHEMA_VERSION) {
        fail("schemaVersion", "unsupported export schema version", doc.schemaVersion, String(EXTERNAL_NODES_SCHEMA_VERSION));
    }
    if (typeof doc.org !== "string" || !doc.org) fail("org", "missing organization name", doc.org, "a DNS-1123 label");
    if (typeof doc.chainId !== "number" || !Number.isInteger(doc.chainId)) fail("chainId", "missing or not an integer", doc.chainId, "an integer");
    const docNodeIpProblem = addressProblem(doc.nodeIp);
    if (docNodeIpProblem) fail("nodeIp", docNodeIpProblem, doc.nodeIp, ADDRESS_ALLOWED);
    if (doc.namespace !== undefined && (typeof doc.namespace !== "string" || !/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(doc.namespace))) {
        fail("namespace", "not a namespace name", doc.namespace, "a DNS-1123 label of at most 63 characters");
    }
    if (!(CONSENSUS_ALGORITHMS as readonly unknown[]).includes(doc.consensus)) fail("consensus", "unknown consensus", doc.consensus, CONSENSUS_ALGORITHMS.join(", "));
    if (typeof doc.genesisHash !== "string" || !/^0x[0-9a-f]{64}$/.test(doc.genesisHash)) fail("genesisHash", "not a 32-byte hash", doc.genesisHash, "0x + 64 lowercase hex");
    if (typeof doc.genesis !== "string") {
        fail("genesis", "missing genesis", doc.genesis, "the partner's genesis.json as a string");
    } else {
        let genesis: { config?: { chainId?: unknown } } | undefined;
        try {
            genesis = JSON.parse(doc.genesis);
        } catch {
            fail("genesis", "not valid JSON", "…", "the partner's genesis.json as a string");
        }
        if (genesis && computeGenesisHash(genesis) !== doc.genesisHash) {
            fail("genesisHash", "does not match the hash of the exported genesis", doc.genesisHash, computeGenesisHash(genesis));
        }
        if (genesis && genesis.config?.chainId !== doc.chainId) {
            fail("chainId", "differs from the exported genesis' config.chainId", doc.chainId, String(genesis.config?.chainId));
        }
    }
    if (!Array.isArray(doc.nodes)) {
        fail("nodes", "missing node list", doc.nodes, "a list of external nodes");
    } else {
        doc.nodes.forEach((n, i) => {
            const k = `nodes[${i}]`;
            if (typeof n.name !== "string" || !/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(n.name)) fail(`${k}.name`, "invalid node name", n.name, "a DNS-1123 label");
            if (!(NODE_ROLES as readonly unknown[]).includes(n.role)) fail(`${k}.role`, "unknown role", n.role, NODE_ROLES.join(", "));
            if (typeof n.enodeId !== "string" || !isEnodeId(n.enodeId)) fail(`${k}.enodeId`, "not a valid enode id", n.enodeId, "128 hex chars, a secp256k1 public key");
            const nodeIpProblem = addressProblem(n.nodeIp);
            if (nodeIpProblem) fail(`${k}.nodeIp`, nodeIpProblem, n.nodeIp, ADDRESS_ALLOWED);
            if (!isPort(n.p2pNodePort)) fail(`${k}.p2pNodePort`, "not a port", n.p2pNodePort, "1-65535");
            problems.capture(() => {
                const url = parseEnodeUrl(String(n.enodeUrl), `${source}: externalNodes.${k}.enodeUrl`);
                if (url.enodeId !== n.enodeId || url.host !== n.nodeIp || url.port !== n.p2pNodePort) {
                    fail(`${k}.enodeUrl`, "does not match enodeId, nodeIp and p2pNodePort", n.enodeUrl, `enode://${n.enodeId}@${n.nodeIp}:${n.p2pNodePort}?discport=0…`);
                }
                if (doc.consensus === "raft" && url.raftPort === undefined) fail(`${k}.enodeUrl`, "raft network but no raftport", n.enodeUrl, "…&raftport=<port>");
            });
            try {
                if (isEnodeId(String(n.enodeId)) && getAddress(String(n.validatorAddress)) !== enodeIdToAddress(n.enodeId)) {
                    fail(`${k}.validatorAddress`, "is not the address of enodeId", n.validatorAddress, enodeIdToAddress(n.enodeId));
                }
            } catch {
                fail(`${k}.validatorAddress`, "not an Ethereum address", n.validatorAddress, "0x + 40 hex");
            }
            try {
                getAddress(String(n.accountAddress));
            } catch {
                fail(`${k}.accountAddress`, "not an Ethereum address", n.accountAddress, "0x + 40 hex");
            }
            if (n.tesseraPublicKey !== undefined && !isBase64Key(n.tesseraPublicKey)) fail(`${k}.tesseraPublicKey`, "not a base64 32-byte key", n.tesseraPublicKey, "44 base64 chars");
            if (n.tesseraP2pUrl !== undefined) {
                const problem = tesseraUrlProblem(n.tesseraP2pUrl);
                if (problem) fail(`${k}.tesseraP2pUrl`, problem, n.tesseraP2pUrl, `http(s)://<host>:<port>, the host ${ADDRESS_ALLOWED}`);
            }
            if ((n.tesseraP2pUrl === undefined) !== (n.tesseraPublicKey === undefined)) fail(`${k}`, "tesseraP2pUrl and tesseraPublicKey must come together", n.tesseraP2pUrl, "both or neither");
        });
    }
    problems.throwIfAny("INVALID_PARTNER", `partner ${source} is unusable (${problems.length} problem${problems.length === 1 ? "" : "s"})`);
    return raw as ExternalNodesDocument;
}
