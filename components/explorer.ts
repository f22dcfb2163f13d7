/**
 * Cakeshop wired to the organization's nodes (core/k8s/addons/explorer.ts): its nodes file, a
 * Deployment that rolls when that file changes, and a ClusterIP Service.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { NetworkConfig } from "../core/config/schema";
import { configChecksum } from "../core/k8s/config-checksum";
import { buildCakeshopNodes, buildExplorerDeploymentSpec, buildExplorerServiceSpec, EXPLORER_CONFIG_FILE } from "../core/k8s/addons/explorer";
import { addonLabels, imageTag, names } from "../core/k8s/labels";

export interface ExplorerArgs {
    readonly config: NetworkConfig;
    readonly namespace: pulumi.Input<string>;
}

export class Explorer extends pulumi.ComponentResource {
    public readonly service: k8s.core.v1.Service;

    constructor(name: string, args: ExplorerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("qstack:index:Explorer", name, {}, opts);
        const { config } = args;
        const labels = addonLabels(config.org, "cakeshop", imageTag(config.explorer.image));
        const meta = { name: names.explorer, namespace: args.namespace, labels };
        const child = { parent: this };

        const nodesFile = pulumi.output(args.namespace).apply((ns) => buildCakeshopNodes(ns, config.nodes.map((n) => ({ name: n.name, tessera: n.tessera }))));
        const configMap = new k8s.core.v1.ConfigMap(`${name}-nodes`, { metadata: meta, data: nodesFile.apply((f) => ({ [EXPLORER_CONFIG_FILE]: f })) }, child);
        new k8s.apps.v1.Deployment(
            `${name}-deployment`,
            {
                metadata: meta,
                spec: nodesFile.apply((f) =>
                    buildExplorerDeploymentSpec({ org: config.org, image: config.explorer.image, configMapName: names.explorer }, configChecksum(f)),
                ),
            },
            { ...child, dependsOn: [configMap] },
        );
        this.service = new k8s.core.v1.Service(`${name}-service`, { metadata: meta, spec: buildExplorerServiceSpec(config.org) }, child);
        this.registerOutputs({});
    }
}
