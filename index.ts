/**
 * qstack: one organization's GoQuorum + Tessera nodes, deployed to its own Kubernetes cluster.
 * The organization its `qstack:` stack config describes, built through the package's public
 * entry point (./library.ts) like any other program's; exports what partners need.
 */
import { QuorumOrganization } from "./library";

export = async () => {
    const org = await QuorumOrganization.fromStackConfig();
    return {
        /** What partner stacks consume: versioned, public data only. */
        externalNodes: org.externalNodes,
        nodeIp: org.nodeIp,
        genesis: org.genesis,
        genesisHash: org.genesisHash,
        chainId: org.config.chainId,
        consensus: org.config.consensus,
        namespace: org.namespace,
        /**
         * Partner organizations merged into this stack's peer lists, each with the digest and the
         * node facts of the export consumed, so `qctl network status` can tell when it is stale.
         */
        partners: org.partners,
        /** Partner stacks configured but not deployed yet. */
        pendingPartners: org.pendingPartners,
        /** Validators the consortium wants; this organization's validators vote for them. */
        desiredValidators: org.desiredValidators,
    };
};
