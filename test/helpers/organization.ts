/** Evaluates a QuorumOrganization under Pulumi mocks (./mocks.ts) for component tests. */
import { resolveConfig, type RawConfig } from "../../core/config/resolve-config";
import type { ExternalNodesDocument } from "../../core/export/external-nodes";
import type { NodeSecrets } from "../../core/keys/node-key-material";
import { QuorumOrganization } from "../../components/organization";
import type { Consortium } from "../../core/peers/consortium";
import { exportedNodes, installMocks, promiseOf, recordOptions, settle } from "./mocks";

export const BASE_CONFIG: RawConfig = {
    org: "org-a",
    nodes: [{ name: "v1" }, { name: "v2" }, { name: "v3" }, { name: "m1", role: "member" }],
};

export interface Evaluation {
    org: QuorumOrganization;
    externalNodes: ExternalNodesDocument;
    genesis: string;
    genesisHash: string;
    secrets: NodeSecrets[];
}

export async function evaluateOrganization(overrides: RawConfig = {}, nodeIp = "10.1.2.3", consortium?: Consortium, nodeHostname?: string): Promise<Evaluation> {
    installMocks();
    const config = resolveConfig({ ...BASE_CONFIG, ...overrides }, { secretKeys: new Set(["importedKeys"]) });
    const org = new QuorumOrganization("org-a", { config, nodeIp, nodeHostname, consortium }, { transformations: [recordOptions] });
    const [externalNodes, genesis, genesisHash] = await Promise.all([exportedNodes(org), promiseOf(org.genesis), promiseOf(org.genesisHash)]);
    const secrets = await Promise.all(org.nodes.map((n) => promiseOf(n.keys.secrets)));
    await settle();
    return { org, externalNodes, genesis, genesisHash, secrets };
}
