/**
 * An organization's existing Pulumi program: it owns its namespace, a quota and its apps'
 * settings, and adds a GoQuorum + Tessera organization to them with qstack's component, the way
 * it would add a database or a cluster from a component library.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { QuorumOrganization, type NodeSettings } from "qstack";

export = async () => {
    const config = new pulumi.Config();
    const namespaceName = config.get("namespace") ?? "org-lib";

    // The program's own objects: qstack deploys into a namespace it did not create.
    const namespace = new k8s.core.v1.Namespace("apps", { metadata: { name: namespaceName, labels: { team: "ledger" } } });
    new k8s.core.v1.ResourceQuota("apps-quota", {
        metadata: { name: "apps", namespace: namespace.metadata.name },
        spec: { hard: { pods: "20", "requests.storage": "100Gi" } },
    });
    new k8s.core.v1.ConfigMap("ledger-client", {
        metadata: { name: "ledger-client", namespace: namespace.metadata.name },
        data: { rpcUrl: `http://${config.get("rpcNode") ?? "lib-member1"}.${namespaceName}.svc:8545` },
    });

    const org = await QuorumOrganization.create(
        "org-lib",
        {
            namespace: namespaceName,
            createNamespace: false,
            nodes: config.requireObject<NodeSettings[]>("nodes"),
            partners: config.getObject<string[]>("partners"),
            genesisFrom: config.get("genesisFrom"),
            quorum: config.getObject<{ image?: string }>("quorum"),
            tessera: config.getObject<{ image?: string }>("tessera"),
            dataRetention: "delete",
            // The node IP is discovered through the same kubeconfig as the default provider's.
            kubeconfig: new pulumi.Config("kubernetes").get("kubeconfig"),
        },
        { dependsOn: [namespace] },
    );

    return {
        externalNodes: org.externalNodes,
        nodeIp: org.nodeIp,
        namespace: org.namespace,
        genesisHash: org.genesisHash,
        partners: org.partners,
        pendingPartners: org.pendingPartners,
    };
};
