/**
 * NetworkPolicy for an organization's node pods: everything from pods in the same namespace,
 * and from outside only the ports other clusters need (geth p2p, Tessera P2P, raft), only from
 * the partners' exported node IPs (plus `allowCidrs`) unless `externalFrom: anywhere`. RPC, WS,
 * metrics and the Tessera ThirdParty API stay namespace-internal.
 *
 * A source allowlist only works if the policy sees the partner's address: with the default
 * externalTrafficPolicy (Cluster), NodePort traffic is SNAT'd to a node IP first, so the
 * external Services switch to Local in `partners` mode (./node-services.ts).
 *
 * A partner in the same cluster (another namespace, the same exported node IP) dials our node
 * IP's NodePorts from its pods, and kube-proxy keeps the pod's address as the source (no SNAT
 * for pod-to-own-node-IP traffic with externalTrafficPolicy Local; measured with kube-proxy
 * 1.36.5 in nftables mode on the lab's real nodes). An ipBlock of the node IP never matches
 * that, so such a partner is admitted by its node pods' labels in its namespace instead.
 */
import { settingKey } from "../config/settings-source";
import type * as k8s from "@pulumi/kubernetes";
import type { NetworkConfig } from "../config/schema";
import { ProblemList } from "../errors";
import { PORTS } from "../node/layout";
import { classifyAddress } from "../net/address";
import { orgNodeSelector } from "./labels";

/** A partner organization's exported node address. */
export interface PartnerSource {
    readonly org: string;
    readonly nodeIp: string;
    /** The namespace of its node pods, when its export says (see ExternalNodesDocument.namespace). */
    readonly namespace?: string;
}

/**
 * Partners whose exported node IP is ours are in this cluster: their pods, selected by labels in
 * their namespace (any namespace for an export that does not name it).
 */
function sameClusterPeers(partners: readonly PartnerSource[], ownNodeIp: string | undefined): k8s.types.input.networking.v1.NetworkPolicyPeer[] {
    if (ownNodeIp === undefined) return [];
    return partners
        .filter((p) => p.nodeIp === ownNodeIp)
        .sort((a, b) => a.org.localeCompare(b.org))
        .map((p) => ({
            namespaceSelector: p.namespace ? { matchLabels: { "kubernetes.io/metadata.name": p.namespace } } : {},
            podSelector: { matchLabels: orgNodeSelector(p.org) },
        }));
}

/**
 * The CIDRs allowed on the external ports in `partners` mode. A partner that exports a DNS
 * name cannot be matched by a NetworkPolicy; that is an error unless the operator lists the
 * addresses behind it in `allowCidrs`.
 */
export function externalSourceCidrs(config: NetworkConfig, partners: readonly PartnerSource[]): string[] {
    const problems = new ProblemList();
    const cidrs = new Set<string>();
    for (const p of partners) {
        const address = classifyAddress(p.nodeIp);
        const kind = "kind" in address ? address.kind : undefined;
        if (kind === "ipv4") cidrs.add(`${p.nodeIp}/32`);
        else if (kind === "ipv6") cidrs.add(`${p.nodeIp}/128`);
        else if (config.networkPolicy.allowCidrs.length === 0) {
            problems.add({
                key: settingKey(config.settingsSource, "networkPolicy.externalFrom"),
                reason: `partner ${p.org} exports the DNS name ${p.nodeIp}, which a NetworkPolicy cannot match`,
                value: config.networkPolicy.externalFrom,
                allowed: "list the partner's addresses in networkPolicy.allowCidrs, or set networkPolicy.externalFrom: anywhere",
            });
        }
    }
    problems.throwIfAny("INVALID_PARTNER", "cannot build the partner allowlist");
    for (const c of config.networkPolicy.allowCidrs) cidrs.add(c);
    return [...cidrs].sort();
}

/**
 * @param ownNodeIp this organization's exported node IP, to recognise partners in the same
 *   cluster; undefined when it is not known before deployment (an Output given to the library)
 */
export function buildNetworkPolicySpec(config: NetworkConfig, partners: readonly PartnerSource[], ownNodeIp?: string): k8s.types.input.networking.v1.NetworkPolicySpec {
    const externalPorts = [PORTS.p2p, PORTS.tesseraP2p, ...(config.consensus === "raft" ? [PORTS.raft] : [])];
    const ports = externalPorts.map((port) => ({ protocol: "TCP", port }));
    const external: k8s.types.input.networking.v1.NetworkPolicyIngressRule[] = [];
    if (config.networkPolicy.externalFrom === "anywhere") {
        external.push({ ports });
    } else {
        const from = [...externalSourceCidrs(config, partners).map((cidr) => ({ ipBlock: { cidr } })), ...sameClusterPeers(partners, ownNodeIp)];
        // An empty `from` would mean "every source": with no partner yet, there is no rule at all.
        if (from.length > 0) external.push({ from, ports });
    }
    return {
        podSelector: { matchLabels: orgNodeSelector(config.org) },
        policyTypes: ["Ingress"],
        ingress: [{ from: [{ podSelector: {} }] }, ...external],
    };
}
