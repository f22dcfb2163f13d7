/**
 * The consortium as one organization sees it: its own nodes plus validated partner exports.
 *
 * Checks every partner against this organization (chain id, consensus, genesis, no duplicate
 * names or enode ids across organizations) and fixes one order for the merged node list, the
 * same in every cluster: the founding organization first, then the others by org name.
 */
import { settingKey, type SettingsSource } from "../config/settings-source";
import type { ExternalNode, ExternalNodesDocument } from "../export/external-nodes";
import type { Consensus } from "../genesis/genesis";
import { ProblemList } from "../errors";

/** A partner export and where it came from (stack name or file path), for error messages. */
export interface PartnerSource {
    readonly source: string;
    readonly doc: ExternalNodesDocument;
}

/** What of this organization the checks need. */
export interface OwnOrganization {
    readonly org: string;
    readonly chainId: number;
    readonly consensus: Consensus;
    readonly nodeNames: readonly string[];
    /** `genesisFrom`: the founder's source, absent for the founder itself. */
    readonly genesisFrom?: string;
    /** Where its settings were written, for the keys errors name. @default "stack-config" */
    readonly settingsSource?: SettingsSource;
}

export interface Consortium {
    /** The founder's export when this organization is a joiner. */
    readonly founder?: PartnerSource;
    /** All partners, founder included, in canonical order. */
    readonly partners: readonly PartnerSource[];
}

/**
 * Validates partners against this organization.
 * @throws QstackError INVALID_PARTNER listing every problem, each naming the partner and field.
 */
export function buildConsortium(own: OwnOrganization, sources: readonly PartnerSource[]): Consortium {
    const problems = new ProblemList();
    const fail = (source: string, field: string, reason: string, value: unknown, allowed: string) =>
        problems.add({ key: `${source}: ${field}`, reason, value, allowed });

    const key = (path: string) => settingKey(own.settingsSource ?? "stack-config", path);
    const founder = own.genesisFrom === undefined ? undefined : sources.find((s) => s.source === own.genesisFrom);
    if (own.genesisFrom !== undefined && !founder) {
        problems.add({
            key: key("genesisFrom"),
            reason: "names no configured partner",
            value: own.genesisFrom,
            allowed: `one of ${key("partners")} / ${key("partnerFiles")} (${sources.map((s) => s.source).join(", ") || "none configured"})`,
        });
    }
    const orgs = new Map<string, string>();
    const names = new Map<string, string>(own.nodeNames.map((n) => [n, `this organization (${own.org})`]));
    const enodes = new Map<string, string>();
    for (const { source, doc } of sources) {
        if (doc.org === own.org) fail(source, "externalNodes.org", "is this organization's own name", doc.org, `an org other than ${own.org}`);
        const seenOrg = orgs.get(doc.org);
        if (seenOrg) fail(source, "externalNodes.org", `same organization as ${seenOrg}`, doc.org, "each partner organization once");
        orgs.set(doc.org, source);
        if (doc.chainId !== own.chainId) fail(source, "externalNodes.chainId", "differs from this network's chain id", doc.chainId, `${own.chainId} (${key("chainId")})`);
        if (doc.consensus !== own.consensus) fail(source, "externalNodes.consensus", "differs from this network's consensus", doc.consensus, `${own.consensus} (${key("consensus")})`);
        if (founder && doc.genesisHash !== founder.doc.genesisHash) {
            fail(source, "externalNodes.genesisHash", `differs from the founder's genesis (${founder.source})`, doc.genesisHash, founder.doc.genesisHash);
        }
        doc.nodes.forEach((n, i) => {
            const nameOwner = names.get(n.name);
            if (nameOwner) fail(source, `externalNodes.nodes[${i}].name`, `node name already used by ${nameOwner}`, n.name, "node names unique across the consortium");
            names.set(n.name, source);
            const enodeOwner = enodes.get(n.enodeId);
            if (enodeOwner) fail(source, `externalNodes.nodes[${i}].enodeId`, `enode id already used by ${enodeOwner}`, n.enodeId, "one identity per node");
            enodes.set(n.enodeId, source);
        });
    }
    problems.throwIfAny("INVALID_PARTNER", `inconsistent partners (${problems.length} problem${problems.length === 1 ? "" : "s"})`);
    return { founder, partners: orderPartners(sources, founder?.doc.org) };
}

/**
 * Checks partners against this organization's own deployed genesis (the founder's case, where
 * the genesis is only known once the program has computed it).
 * @throws QstackError INVALID_PARTNER
 */
export function checkPartnerGenesis(ownGenesisHash: string, partners: readonly PartnerSource[], settings: SettingsSource = "stack-config"): void {
    const problems = new ProblemList();
    for (const { source, doc } of partners) {
        if (doc.genesisHash !== ownGenesisHash) {
            problems.add({
                key: `${source}: externalNodes.genesisHash`,
                reason: "differs from this network's genesis",
                value: doc.genesisHash,
                allowed: `${ownGenesisHash} (the genesis this stack deployed; the partner must adopt it with ${settingKey(settings, "genesisFrom")})`,
            });
        }
    }
    problems.throwIfAny("INVALID_PARTNER", "partner on another genesis");
}

/** A node's pinned NodePorts (`nodes[].nodePorts`), as far as a clash check needs them. */
export interface PinnedPortsOf {
    readonly name: string;
    readonly nodePorts: { readonly p2p?: number; readonly tessera?: number; readonly raft?: number };
}

/**
 * Organizations that share a cluster (one namespace each) share its node IPs and its one
 * NodePort range. A NodePort this organization pins that a partner on the same node IP already
 * exports would be refused by the API server half-way through an update; this refuses it first.
 * Ports the API server allocates cannot clash.
 * @throws QstackError INVALID_CONFIG naming the node, the port and the partner node holding it
 */
export function checkNodePortClashes(ownNodeIp: string, ownNodes: readonly PinnedPortsOf[], partners: readonly PartnerSource[], source: SettingsSource = "stack-config"): void {
    const taken = new Map<number, string>();
    for (const { doc } of partners) {
        if (doc.nodeIp !== ownNodeIp) continue;
        for (const n of doc.nodes) {
            const tessera = n.tesseraP2pUrl ? Number(new URL(n.tesseraP2pUrl).port) : undefined;
            for (const port of [n.p2pNodePort, tessera, n.raftNodePort]) if (port) taken.set(port, `${doc.org}'s node ${n.name}`);
        }
    }
    const problems = new ProblemList();
    ownNodes.forEach((n, i) => {
        for (const [kind, port] of Object.entries(n.nodePorts)) {
            const holder = port === undefined ? undefined : taken.get(port);
            if (holder) {
                problems.add({
                    key: settingKey(source, `nodes[${i}].nodePorts.${kind}`),
                    reason: `NodePort already exported by ${holder}, a partner on the same node IP ${ownNodeIp} (one cluster, one NodePort range)`,
                    value: port,
                    allowed: "another free port of the cluster's NodePort range, or omit it and let the API server allocate one",
                });
            }
        }
    });
    problems.throwIfAny("INVALID_CONFIG", "NodePort clash with a partner in the same cluster");
}

/** Founder first, then by org name. */
export function orderPartners(partners: readonly PartnerSource[], founderOrg?: string): PartnerSource[] {
    return [...partners].sort((a, b) => {
        if (a.doc.org === founderOrg) return -1;
        if (b.doc.org === founderOrg) return 1;
        return a.doc.org.localeCompare(b.doc.org);
    });
}

/**
 * The order organizations appear in every peer list: the founder first, then by org name.
 * `founderOrg` is this organization when it has no genesisFrom.
 */
export function orgOrder(ownOrg: string, founderOrg: string, partnerOrgs: readonly string[]): string[] {
    const rest = [...new Set([ownOrg, ...partnerOrgs])].filter((o) => o !== founderOrg).sort((a, b) => a.localeCompare(b));
    return [founderOrg, ...rest];
}

/** Validator addresses the consortium wants: every node with role validator, in peer-list order. */
export function desiredValidators(nodesInOrder: readonly Pick<ExternalNode, "role" | "validatorAddress">[]): string[] {
    return nodesInOrder.filter((n) => n.role === "validator").map((n) => n.validatorAddress);
}
