/**
 * A node's two Services.
 *
 * - `<node>` (ClusterIP): everything in-cluster clients use, RPC included.
 * - `<node>-external` (NodePort): only what other clusters need, geth p2p, Tessera P2P and the
 *   raft port. RPC is never published here, so admin/personal APIs cannot leak through it.
 */
import type * as k8s from "@pulumi/kubernetes";
import type { NetworkConfig, NodeConfig } from "../../config/schema";
import { PORTS } from "../../node/layout";
import { nodeSelector } from "../labels";

type ServiceSpec = k8s.types.input.core.v1.ServiceSpec;
type ServicePort = k8s.types.input.core.v1.ServicePort;

/** Port names of the external Service; exported NodePorts are looked up by these. */
export const EXTERNAL_PORT_NAMES = { p2p: "p2p", tessera: "tm-p2p", raft: "raft" } as const;

export function buildInternalServiceSpec(config: NetworkConfig, node: NodeConfig): ServiceSpec {
    const ports: ServicePort[] = [
        { name: "http", port: PORTS.http, targetPort: PORTS.http },
        { name: "ws", port: PORTS.ws, targetPort: PORTS.ws },
        { name: "metrics", port: PORTS.metrics, targetPort: PORTS.metrics },
        { name: "p2p", port: PORTS.p2p, targetPort: PORTS.p2p },
    ];
    if (node.tessera) {
        ports.push(
            { name: "tm-p2p", port: PORTS.tesseraP2p, targetPort: PORTS.tesseraP2p },
            { name: "tm-thirdparty", port: PORTS.tesseraThirdParty, targetPort: PORTS.tesseraThirdParty },
        );
    }
    if (config.consensus === "raft") ports.push({ name: "raft", port: PORTS.raft, targetPort: PORTS.raft });
    return { type: "ClusterIP", selector: nodeSelector(node), ports };
}

export function buildExternalServiceSpec(config: NetworkConfig, node: NodeConfig): ServiceSpec {
    const pinned = (p: number | undefined) => (p !== undefined ? { nodePort: p } : {});
    const ports: ServicePort[] = [
        { name: EXTERNAL_PORT_NAMES.p2p, protocol: "TCP", port: PORTS.p2p, targetPort: PORTS.p2p, ...pinned(node.nodePorts.p2p) },
    ];
    if (node.tessera) {
        ports.push({ name: EXTERNAL_PORT_NAMES.tessera, protocol: "TCP", port: PORTS.tesseraP2p, targetPort: PORTS.tesseraP2p, ...pinned(node.nodePorts.tessera) });
    }
    if (config.consensus === "raft") {
        ports.push({ name: EXTERNAL_PORT_NAMES.raft, protocol: "TCP", port: PORTS.raft, targetPort: PORTS.raft, ...pinned(node.nodePorts.raft) });
    }
    // Publish before readiness: peers must be able to dial a node while it is still syncing.
    // With a partner allowlist, Local keeps the client's source IP for the NetworkPolicy to see.
    const allowlisted = config.networkPolicy.enabled && config.networkPolicy.externalFrom === "partners";
    return {
        type: config.service.type,
        selector: nodeSelector(node),
        ports,
        publishNotReadyAddresses: true,
        externalTrafficPolicy: allowlisted ? "Local" : "Cluster",
    };
}
