/**
 * NetworkPolicy for an organization's node pods: everything from pods in the same namespace,
 * and from outside only the ports other clusters need (geth p2p, Tessera P2P, raft). RPC, WS,
 * metrics and the Tessera ThirdParty API stay namespace-internal.
 */
import type * as k8s from "@pulumi/kubernetes";
import type { NetworkConfig } from "../config/schema";
import { PORTS } from "../node/layout";
import { PART_OF } from "./labels";

export function buildNetworkPolicySpec(config: NetworkConfig): k8s.types.input.networking.v1.NetworkPolicySpec {
    const externalPorts = [PORTS.p2p, PORTS.tesseraP2p, ...(config.consensus === "raft" ? [PORTS.raft] : [])];
    return {
        podSelector: { matchLabels: { "app.kubernetes.io/part-of": PART_OF, "qstack.io/org": config.org } },
        policyTypes: ["Ingress"],
        ingress: [
            { from: [{ podSelector: {} }] },
            { ports: externalPorts.map((port) => ({ protocol: "TCP", port })) },
        ],
    };
}
