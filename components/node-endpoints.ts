/**
 * A node's Services: the ClusterIP one for in-cluster clients and the NodePort one that other
 * clusters dial. Created before the node's configuration because every peer list needs the
 * NodePorts, which the API server may allocate.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { NetworkConfig, NodeConfig } from "../core/config/schema";
import { EXTERNAL_PORT_NAMES, buildExternalServiceSpec, buildInternalServiceSpec } from "../core/k8s/nodes/node-services";
import { names, nodeLabels } from "../core/k8s/labels";

export interface NodeEndpointsArgs {
    readonly config: NetworkConfig;
    readonly node: NodeConfig;
    /** Namespace to create the Services in (an Output, so they wait for the Namespace). */
    readonly namespace: pulumi.Input<string>;
}

export class NodeEndpoints extends pulumi.ComponentResource {
    public readonly internalService: k8s.core.v1.Service;
    public readonly externalService: k8s.core.v1.Service;
    /** NodePort of geth p2p. */
    public readonly p2pNodePort: pulumi.Output<number>;
    /** NodePort of Tessera P2P; undefined when the node has no Tessera. */
    public readonly tesseraNodePort: pulumi.Output<number | undefined>;
    /** NodePort of raft; undefined unless consensus is raft. */
    public readonly raftNodePort: pulumi.Output<number | undefined>;

    constructor(name: string, args: NodeEndpointsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("qstack:index:NodeEndpoints", name, {}, opts);
        const { config, node } = args;
        const labels = nodeLabels(config.org, node, config.quorum.version);
        // Without skipAwait Pulumi waits for endpoints, i.e. for a ready pod; the StatefulSet's
        // own readiness wait already reports that, with better errors.
        const annotations = { "pulumi.com/skipAwait": "true" };
        this.internalService = new k8s.core.v1.Service(
            `${name}-svc`,
            {
                metadata: { name: names.service(node.name), namespace: args.namespace, labels, annotations },
                spec: buildInternalServiceSpec(config, node),
            },
            { parent: this },
        );
        this.externalService = new k8s.core.v1.Service(
            `${name}-external`,
            {
                metadata: {
                    name: names.externalService(node.name),
                    namespace: args.namespace,
                    labels,
                    annotations,
                },
                spec: buildExternalServiceSpec(config, node),
            },
            { parent: this },
        );
        const nodePort = (portName: string) =>
            this.externalService.spec.ports.apply((ports) => ports.find((p) => p.name === portName)?.nodePort);
        this.p2pNodePort = nodePort(EXTERNAL_PORT_NAMES.p2p).apply((p) => p as number);
        this.tesseraNodePort = nodePort(EXTERNAL_PORT_NAMES.tessera);
        this.raftNodePort = nodePort(EXTERNAL_PORT_NAMES.raft);
        this.registerOutputs({ p2pNodePort: this.p2pNodePort, tesseraNodePort: this.tesseraNodePort, raftNodePort: this.raftNodePort });
    }
}
