/**
 * What a {@link QuorumOrganization} is built from, worked out before any resource is declared:
 * the settings checked and defaulted, the partners read and checked, the address partners dial.
 * A stack configured by `qstack:` keys and a program passing its own arguments take this one
 * path, so they cannot drift apart; they differ only in how errors name a setting.
 */
import * as pulumi from "@pulumi/pulumi";
import type { OrganizationSettings } from "../core/config/organization-settings";
import { resolveConfig, type RawConfig } from "../core/config/resolve-config";
import type { NetworkConfig } from "../core/config/schema";
import type { SettingsSource } from "../core/config/settings-source";
import { discoverExportedNode } from "./cluster-node-ip";
import type { Consortium } from "../core/peers/consortium";
import { loadPartners, pulumiPartnerIo, type PartnerIo } from "./partners";

/** The checked inputs of a {@link QuorumOrganization}'s constructor. */
export interface OrganizationPlan {
    /** Checked, defaulted settings (see core/config). */
    readonly config: NetworkConfig;
    /** Address partners dial to reach this cluster's NodePorts. */
    readonly nodeIp: pulumi.Input<string>;
    /**
     * The `kubernetes.io/hostname` of the Kubernetes node `nodeIp` belongs to, when it was
     * discovered. With the partner allowlist on, node pods are pinned there.
     * @default - unknown (absent or ""): pods are not pinned (an explicit nodeIp must route to them)
     */
    readonly nodeHostname?: pulumi.Input<string>;
    /**
     * Checked partner organizations.
     * @default - no partners: this organization alone, founding its own genesis
     */
    readonly consortium?: Consortium;
    /** Partner stacks configured but not deployed yet. @default [] */
    readonly pendingPartners?: readonly string[];
}

/** Where the settings come from and what the plan may read to complete them. */
export interface PlanSources {
    readonly settings: RawConfig | OrganizationSettings;
    readonly source: SettingsSource;
    /** Settings Pulumi holds as secrets (stack config); a component's arguments are secret by construction. */
    readonly secretKeys: ReadonlySet<string>;
    /** An address that is only known as a resource's output (not checkable before deployment). */
    readonly nodeIpOutput?: pulumi.Output<string>;
    /** The Kubernetes provider's kubeconfig (path or YAML) and context, for discovering the node IP. */
    readonly kubeconfig?: string;
    readonly kubeContext?: string;
    /** @default - StackReferences on this program's backend, files relative to the working directory */
    readonly partnerIo?: PartnerIo;
}

/**
 * Checks the settings and reads partners and the node IP.
 * @throws QstackError INVALID_CONFIG / INVALID_PARTNER / CLUSTER_DISCOVERY, every setting named as its source writes it
 */
export async function planOrganization(sources: PlanSources): Promise<OrganizationPlan> {
    const config = resolveConfig(sources.settings, { source: sources.source, secretKeys: sources.secretKeys });
    // Partners and the node IP are read at once: each waits on something else (the backend, the
    // cluster's API server). A partner's problem is reported first, as when they ran in turn.
    const discovery =
        config.nodeIp !== undefined || sources.nodeIpOutput !== undefined
            ? undefined
            : discoverExportedNode({ kubeconfig: sources.kubeconfig, context: sources.kubeContext, env: process.env.KUBECONFIG, settingsSource: sources.source });
    discovery?.catch(() => undefined); // rejections are taken below, after the partners'
    const { pending: pendingPartners, ...consortium } = await loadPartners(config, sources.partnerIo ?? pulumiPartnerIo());
    for (const stack of pendingPartners) {
        pulumi.log.warn(`partner ${stack} has not been deployed yet; run pulumi up here again once it has (qctl network up does)`);
    }
    if (discovery === undefined) {
        return { config, nodeIp: config.nodeIp ?? sources.nodeIpOutput!, consortium, pendingPartners };
    }
    const exported = await discovery;
    return { config, nodeIp: exported.address, nodeHostname: exported.hostname ?? "", consortium, pendingPartners };
}
