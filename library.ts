/**
 * qstack's public API: a GoQuorum + Tessera organization as a Pulumi component, for programs
 * that keep their own cluster, apps and policies and add a consortium member to them.
 *
 * ```ts
 * import { QuorumOrganization } from "qstack";
 *
 * export = async () => {
 *     const org = await QuorumOrganization.create("org-c", {
 *         nodes: [{ name: "c-validator1" }, { name: "c-member1", role: "member" }],
 *         partners: ["organization/qstack/clusterA"],
 *         genesisFrom: "organization/qstack/clusterA",
 *     });
 *     return { externalNodes: org.externalNodes };
 * };
 * ```
 *
 * The qstack project's own program (index.ts) is built on this entry point only.
 */
export { QuorumOrganization, type QuorumOrganizationArgs, type OrganizationNode } from "./components/organization";
export { planOrganization, type OrganizationPlan, type PlanSources } from "./components/organization-plan";
export { loadPartners, pulumiPartnerIo, type LoadedPartners, type PartnerIo } from "./components/partners";
export { discoverExportedNode, type KubeconfigSource } from "./components/cluster-node-ip";
export type { OrganizationSettings, NodeSettings, ContainerResourceSettings } from "./core/config/organization-settings";
export { DEFAULTS, type NetworkConfig, type NodeConfig, type NodeRole } from "./core/config/schema";
export { resolveConfig, type RawConfig, type ResolveOptions } from "./core/config/resolve-config";
export { settingKey, type SettingsSource } from "./core/config/settings-source";
export { parseExternalNodesDocument, EXTERNAL_NODES_SCHEMA_VERSION, type ExternalNode, type ExternalNodesDocument } from "./core/export/external-nodes";
export { consumedPartner, externalNodesDigest, type ConsumedPartner } from "./core/export/partner-drift";
export type { ImportedNodeKeys, NodeIdentity } from "./core/keys/node-key-material";
export type { Consensus } from "./core/genesis/genesis";
export { QstackError, type Problem, type QstackErrorCode } from "./core/errors";
