/**
 * qstack: one organization's GoQuorum + Tessera nodes, deployed to its own Kubernetes cluster.
 * Reads the `qstack:` stack config and the partners' exports, builds the organization, exports
 * what partners need. Partners are read and checked before any resource is declared.
 */
import * as pulumi from "@pulumi/pulumi";
import { discoverExportedNode } from "./components/cluster-node-ip";
import { QuorumOrganization } from "./components/organization";
import { loadPartners, pulumiPartnerIo } from "./components/partners";
import { orRunError, toRunError } from "./components/run-error";
import { readStackConfig } from "./components/stack-config";
import { consumedPartner } from "./core/export/partner-drift";

export = async () => {
    const config = orRunError(readStackConfig);
    const consortium = await loadPartners(config, pulumiPartnerIo()).catch(toRunError);
    for (const stack of consortium.pending) {
        pulumi.log.warn(`partner ${stack} has not been deployed yet; run pulumi up here again once it has (qctl network up does)`);
    }

    const kubernetes = new pulumi.Config("kubernetes");
    // Known before any resource is declared, so checks that need it (a NodePort clash with a
    // partner on the same node IP) stop the program while nothing has been declared.
    const exported = config.nodeIp
        ? undefined
        : await discoverExportedNode({ kubeconfig: kubernetes.get("kubeconfig"), context: kubernetes.get("context"), env: process.env.KUBECONFIG }).catch(toRunError);
    const nodeIp = config.nodeIp ?? exported!.address;

    const org = new QuorumOrganization(config.org, { config, nodeIp, nodeHostname: exported ? (exported.hostname ?? "") : undefined, consortium });

    return {
        /** What partner stacks consume: versioned, public data only. */
        externalNodes: org.externalNodes,
        nodeIp: pulumi.output(nodeIp),
        genesis: org.genesis,
        genesisHash: org.genesisHash,
        chainId: config.chainId,
        consensus: config.consensus,
        namespace: org.namespace,
        /**
         * Partner organizations merged into this stack's peer lists, each with the digest and the
         * node facts of the export consumed, so `qctl network status` can tell when it is stale.
         */
        partners: consortium.partners.map((p) => consumedPartner(p.source, config.partnerFiles.includes(p.source) ? "file" : "stack", p.doc)),
        /** Partner stacks configured but not deployed yet. */
        pendingPartners: consortium.pending,
        /** Validators the consortium wants; this organization's validators vote for them. */
        desiredValidators: org.desiredValidators,
    };
};
