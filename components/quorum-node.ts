/**
 * One GoQuorum node (+ Tessera) in Kubernetes: its key Secret, its Tessera config and its
 * StatefulSet. Keys and Services come from {@link NodeKeys} and {@link NodeEndpoints}, which
 * the organization creates first so that peer lists can reference every node's NodePorts.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { NetworkConfig, NodeConfig } from "../core/config/schema";
import { names, nodeLabels } from "../core/k8s/labels";
import { buildNodeStatefulSetSpec, nodeStatefulSetAnnotations } from "../core/k8s/nodes/node-pod";
import type { NodeSecrets, NodeIdentity } from "../core/keys/node-key-material";
import { formatTesseraPrivateKeyFile } from "../core/keys/tessera-key";
import { CONFIG_FILES, KEY_FILES, PORTS } from "../core/node/layout";
import { buildTesseraConfig } from "../core/node/tessera-config";

export interface QuorumNodeArgs {
    readonly config: NetworkConfig;
    readonly node: NodeConfig;
    readonly namespace: pulumi.Input<string>;
    readonly identity: pulumi.Input<NodeIdentity>;
    /** Secret key material; only ever written to the node's Kubernetes Secret. */
    readonly secrets: pulumi.Input<NodeSecrets>;
    /** This node's Tessera P2P URL as partners reach it (node IP + NodePort). */
    readonly tesseraP2pUrl?: pulumi.Input<string>;
    /** P2P URLs of every other Tessera in the network. */
    readonly tesseraPeers: pulumi.Input<string[]>;
    /** Organization-wide objects the pod mounts (genesis and peer-list ConfigMaps). */
    readonly sharedConfig: pulumi.Resource[];
    /** Pins the pod to this Kubernetes node (`kubernetes.io/hostname`). @default - anywhere */
    readonly pinnedHostname?: pulumi.Input<string | undefined>;
    /**
     * The previous node's StatefulSet: this one is created and updated only after it has rolled
     * out, so a config change restarts the organization's nodes one at a time.
     * @default - none (the first node)
     */
    readonly rollAfter?: pulumi.Resource;
}

export class QuorumNode extends pulumi.ComponentResource {
    public readonly keySecret: k8s.core.v1.Secret;
    public readonly tesseraConfig?: k8s.core.v1.ConfigMap;
    public readonly statefulSet: k8s.apps.v1.StatefulSet;

    constructor(name: string, args: QuorumNodeArgs, opts?: pulumi.ComponentResourceOptions) {
        super("qstack:index:QuorumNode", name, {}, opts);
        const { config, node } = args;
        const labels = nodeLabels(config.org, node, config.quorum.version);
        const meta = (objectName: pulumi.Input<string>) => ({ name: objectName, namespace: args.namespace, labels });

        const secrets = pulumi.output(args.secrets);
        const identity = pulumi.output(args.identity);
        const keySecretName = identity.apply((id) => names.keySecret(node.name, id.enodeId));
        this.keySecret = new k8s.core.v1.Secret(
            `${name}-keys`,
            {
                metadata: meta(keySecretName),
                type: "Opaque",
                stringData: pulumi.secret(
                    pulumi.all([secrets, identity]).apply(([s, id]) => ({
                        [KEY_FILES.nodeKey]: s.nodeKey,
                        [KEY_FILES.accountKeystore]: s.accountKeystore,
                        [KEY_FILES.accountPassword]: s.accountPassword,
                        [KEY_FILES.tesseraPrivateKey]: formatTesseraPrivateKeyFile(s.tesseraPrivateKey),
                        [KEY_FILES.tesseraPublicKey]: id.tesseraPublicKey,
                    })),
                ),
            },
            // Losing a validator's keys loses its vote; a destroy must not take them silently.
            { parent: this, retainOnDelete: config.dataRetention === "retain" },
        );

        const dependsOn: pulumi.Resource[] = [this.keySecret, ...args.sharedConfig];
        if (node.tessera) {
            if (!args.tesseraP2pUrl) throw new pulumi.ResourceError(`node ${node.name} runs Tessera but has no P2P URL`, this);
            this.tesseraConfig = new k8s.core.v1.ConfigMap(
                `${name}-tessera`,
                {
                    metadata: meta(names.tesseraConfigMap(node.name)),
                    data: pulumi.all([args.tesseraP2pUrl, args.tesseraPeers, args.namespace]).apply(([p2pUrl, peers, ns]) => ({
                        [CONFIG_FILES.tesseraConfig]: JSON.stringify(
                            buildTesseraConfig({
                                p2pUrl,
                                thirdPartyUrl: `http://${names.service(node.name)}.${ns}.svc:${PORTS.tesseraThirdParty}`,
                                peerUrls: peers,
                            }),
                            null,
                            2,
                        ),
                    })),
                },
                { parent: this },
            );
            dependsOn.push(this.tesseraConfig);
        }

        this.statefulSet = new k8s.apps.v1.StatefulSet(
            `${name}-sts`,
            {
                metadata: { ...meta(names.statefulSet(node.name)), annotations: nodeStatefulSetAnnotations() },
                spec: pulumi.all([keySecretName, args.pinnedHostname]).apply(([secret, hostname]) => buildNodeStatefulSetSpec(config, node, secret, { hostname })),
            },
            {
                parent: this,
                dependsOn: [...dependsOn, ...(args.rollAfter ? [args.rollAfter] : [])],
                // volumeClaimTemplates only shape volumes created later and are immutable: a changed
                // storage size applies to new nodes; an existing volume is expanded on its PVC.
                ignoreChanges: ["spec.volumeClaimTemplates"],
                // The name is fixed, so a replacement must delete first (never happens for config
                // changes qstack makes; kept explicit for immutable-field edits by hand).
                deleteBeforeReplace: true,
            },
        );
        this.registerOutputs({ statefulSet: this.statefulSet.metadata.name });
    }
}
