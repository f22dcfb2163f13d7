/**
 * One organization's share of a GoQuorum consortium, in its own Kubernetes cluster: a
 * namespace, per node {@link NodeKeys}, {@link NodeEndpoints} and {@link QuorumNode}, and the
 * organization-wide genesis and peer-list ConfigMaps. Exposes what partners need as the
 * versioned `externalNodes` document.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { OrganizationSettings } from "../core/config/organization-settings";
import type { NetworkConfig, NodeConfig } from "../core/config/schema";
import { settingKey } from "../core/config/settings-source";
import { consumedPartner, type ConsumedPartner } from "../core/export/partner-drift";
import { buildExternalNode, EXTERNAL_NODES_SCHEMA_VERSION, type ExternalNode, type ExternalNodesDocument } from "../core/export/external-nodes";
import { buildGenesis, computeGenesisHash, type Genesis } from "../core/genesis/genesis";
import { describeGenesisSettingDifferences, genesisSettingDifferences } from "../core/genesis/genesis-settings";
import { buildIngressSpec } from "../core/k8s/ingress";
import { names, orgLabels } from "../core/k8s/labels";
import { buildNetworkPolicySpec } from "../core/k8s/network-policy";
import { buildValidatorPdbSpec, faultTolerance } from "../core/k8s/nodes/disruption-budget";
import { checkConsortiumFits } from "../core/k8s/config-map-size";
import { buildServiceMonitor } from "../core/k8s/addons/service-monitor";
import { isPort } from "../core/keys/enode";
import type { NodeIdentity } from "../core/keys/node-key-material";
import { CONFIG_FILES } from "../core/node/layout";
import { RECONCILE_SCRIPT, buildReconcileScript } from "../core/node/reconciler";
import { buildStaticNodes, buildTesseraPeers, tesseraP2pUrl, type PeerNode } from "../core/peers/peer-lists";
import { checkNodePortClashes, checkPartnerGenesis, desiredValidators, orgOrder, type Consortium } from "../core/peers/consortium";
import { AcceptanceTest } from "./acceptance-test";
import { Explorer } from "./explorer";
import { Monitoring } from "./monitoring";
import { NodeEndpoints } from "./node-endpoints";
import { NodeKeys } from "./node-keys";
import { QuorumNode } from "./quorum-node";
import { planOrganization, type OrganizationPlan } from "./organization-plan";
import type { PartnerIo } from "./partners";
import { orRunError, toRunError } from "./run-error";
import { readRawConfig } from "./stack-config";

/**
 * The arguments of {@link QuorumOrganization.create}: the settings a stack's `qstack:` config
 * holds (same checks, same defaults), with errors naming `args.<path>`.
 */
export interface QuorumOrganizationArgs extends Omit<OrganizationSettings, "nodeIp"> {
    /** Organization name, a DNS-1123 label of at most 30 characters. @default - the component's name */
    readonly org?: string;
    /**
     * Address partners dial. A string is checked like any setting; an Output (a load
     * balancer's address, say) is used as it resolves.
     * @default - discovered from the cluster's Node addresses, through `kubeconfig`
     */
    readonly nodeIp?: pulumi.Input<string>;
    /**
     * Kubeconfig (a path or the YAML) to discover the node IP with, when `nodeIp` is unset. Give
     * the one your Kubernetes provider uses.
     * @default - $KUBECONFIG, then ~/.kube/config, as the Kubernetes provider's default
     */
    readonly kubeconfig?: string;
    /** Context of `kubeconfig`. @default - its current context */
    readonly kubeContext?: string;
}

/** Everything that can be refused before a resource exists; returns the NetworkPolicy spec it needs. */
function checkBeforeResources(plan: OrganizationPlan, consortium: Consortium): k8s.types.input.networking.v1.NetworkPolicySpec | undefined {
    const { config } = plan;
    // A partner the allowlist cannot express.
    const ownNodeIp = typeof plan.nodeIp === "string" ? plan.nodeIp : undefined;
    const networkPolicySpec = config.networkPolicy.enabled
        ? buildNetworkPolicySpec(config, consortium.partners.map((p) => ({ org: p.doc.org, nodeIp: p.doc.nodeIp, namespace: p.doc.namespace })), ownNodeIp)
        : undefined;
    // A NodePort pinned here that a partner in the same cluster already exports.
    if (ownNodeIp !== undefined) checkNodePortClashes(ownNodeIp, config.nodes, consortium.partners, config.settingsSource);
    // A consortium whose peer-list ConfigMaps would exceed a Kubernetes object.
    checkConsortiumFits(
        {
            consensus: config.consensus,
            namespace: config.namespace,
            nodes: [
                ...config.nodes.map((n) => ({ name: n.name, host: ownNodeIp, validator: n.role === "validator", tessera: n.tessera })),
                ...consortium.partners.flatMap((p) => p.doc.nodes.map((n) => ({ name: n.name, host: n.nodeIp, validator: n.role === "validator", tessera: n.tesseraP2pUrl !== undefined }))),
            ],
        },
        settingKey(config.settingsSource, "nodes"),
    );
    return networkPolicySpec;
}

/** The per-node resources an organization creates. */
export interface OrganizationNode {
    readonly config: NodeConfig;
    readonly keys: NodeKeys;
    readonly endpoints: NodeEndpoints;
    readonly node: QuorumNode;
}

interface ReachableNode {
    readonly config: NodeConfig;
    readonly identity: NodeIdentity;
    readonly p2pNodePort: number;
    readonly tesseraNodePort?: number;
    readonly raftNodePort?: number;
}

/** A partner's nodes as peer-list entries, at the addresses it exported. */
function partnerPeers(doc: ExternalNodesDocument): PeerNode[] {
    return doc.nodes.map((n) => ({
        name: n.name,
        enodeId: n.enodeId,
        host: n.nodeIp,
        p2pPort: n.p2pNodePort,
        raftPort: n.raftNodePort,
        tesseraUrl: n.tesseraP2pUrl,
    }));
}

/** Genesis of an organization founding the network: its validators, its accounts funded. */
function genesisOf(c: NetworkConfig, nodes: readonly ReachableNode[]): Genesis {
    const validators = nodes.filter((n) => n.config.role === "validator");
    return buildGenesis({
        consensus: c.consensus,
        chainId: c.chainId,
        validators: validators.map((n) => n.identity.nodeAddress),
        cliqueSigners: validators.map((n) => n.identity.accountAddress),
        alloc: nodes.map((n) => ({ address: n.identity.accountAddress, balance: c.accountBalance })),
        gasLimit: c.gasLimit,
        blockPeriodSeconds: c.blockPeriodSeconds,
        epochLength: c.epochLength,
        requestTimeoutSeconds: c.requestTimeoutSeconds,
        maxRequestTimeoutSeconds: c.maxRequestTimeoutSeconds,
        txnSizeLimit: c.txnSizeLimit,
        maxCodeSizeKb: c.maxCodeSizeKb,
    });
}

export class QuorumOrganization extends pulumi.ComponentResource {
    public readonly namespace: pulumi.Output<string>;
    /** genesis.json as deployed (frozen at first deployment). */
    public readonly genesis: pulumi.Output<string>;
    /** keccak256 of the genesis' canonical JSON; partners must have the same. */
    public readonly genesisHash: pulumi.Output<string>;
    /**
     * What partners need, versioned; public data only. Undefined while a node's NodePorts are
     * not allocated (an update that did not create its Services): partners then count this
     * organization as pending.
     */
    public readonly externalNodes: pulumi.Output<ExternalNodesDocument | undefined>;
    public readonly nodes: readonly OrganizationNode[];
    /** Enode URLs of every node of the consortium, in the order every cluster lists them. */
    public readonly staticNodes: pulumi.Output<string[]>;
    /** Validator addresses the consortium wants; this organization's validators vote for them. */
    public readonly desiredValidators: pulumi.Output<string[]>;
    /** Prometheus (and Grafana), when `monitoring.prometheus` is on. */
    public readonly monitoring?: Monitoring;

    /** Partner exports merged into the peer lists, each with the digest of what was consumed (for drift checks). */
    public readonly partners: readonly ConsumedPartner[];
    /** Partner stacks configured but not deployed yet; run the update again once they are. */
    public readonly pendingPartners: readonly string[];
    /** The address partners dial. */
    public readonly nodeIp: pulumi.Output<string>;
    /** The checked settings, every default filled in. */
    public readonly config: NetworkConfig;

    /**
     * Checks `args` (errors name `args.<path>`), reads the partners' exports (StackReferences,
     * files) and, unless `nodeIp` is given, the cluster's node address; then declares the
     * organization. Nothing is declared when anything is refused. Async because partners are
     * read and checked before the first resource.
     */
    static async create(name: string, args: QuorumOrganizationArgs, opts?: pulumi.ComponentResourceOptions): Promise<QuorumOrganization> {
        const { nodeIp, kubeconfig, kubeContext, ...settings } = args;
        const plan = await planOrganization({
            settings: { ...settings, org: settings.org ?? name, ...(typeof nodeIp === "string" ? { nodeIp } : {}) },
            source: "component-args",
            // Arguments live in the program, not in plaintext stack config; the component keeps
            // imported keys in Pulumi secrets and Kubernetes Secrets only.
            secretKeys: new Set(["importedKeys"]),
            nodeIpOutput: nodeIp === undefined || typeof nodeIp === "string" ? undefined : pulumi.output(nodeIp),
            kubeconfig,
            kubeContext,
        }).catch(toRunError);
        return new QuorumOrganization(name, plan, opts);
    }

    /**
     * The organization a stack's `qstack:` config describes (errors name `qstack:<path>`), with
     * the node IP discovered through the Kubernetes provider's `kubernetes:kubeconfig` and
     * `kubernetes:context`. The qstack project's own program is this call.
     * @param partnerIo where partner stacks and files are read from. @default - this program's backend and working directory
     */
    static async fromStackConfig(opts?: pulumi.ComponentResourceOptions, partnerIo?: PartnerIo): Promise<QuorumOrganization> {
        const kubernetes = new pulumi.Config("kubernetes");
        const plan = await Promise.resolve()
            .then(() => {
                const { raw, secretKeys } = readRawConfig();
                return planOrganization({ settings: raw, source: "stack-config", secretKeys, kubeconfig: kubernetes.get("kubeconfig"), kubeContext: kubernetes.get("context"), partnerIo });
            })
            .catch(toRunError);
        return new QuorumOrganization(plan.config.org, plan, opts);
    }

    /** Declares an organization from a checked plan; most programs call {@link create} instead. */
    constructor(name: string, plan: OrganizationPlan, opts?: pulumi.ComponentResourceOptions) {
        const consortium = plan.consortium ?? { partners: [] };
        // Before super(): a refusal must stop the program while nothing has been declared.
        const networkPolicySpec = orRunError(() => checkBeforeResources(plan, consortium));
        super("qstack:index:QuorumOrganization", name, {}, opts);
        const { config } = plan;
        this.config = config;
        const nodeIp = pulumi.output(plan.nodeIp);
        this.nodeIp = nodeIp;
        const labels = orgLabels(config.org);
        const child = { parent: this };
        this.partners = consortium.partners.map((p) => consumedPartner(p.source, config.partnerFiles.includes(p.source) ? "file" : "stack", p.doc));
        this.pendingPartners = plan.pendingPartners ?? [];

        this.namespace = config.createNamespace
            ? new k8s.core.v1.Namespace(`${name}-ns`, { metadata: { name: config.namespace, labels } }, child).metadata.name
            : pulumi.output(config.namespace);
        const meta = (objectName: string) => ({ name: objectName, namespace: this.namespace, labels });

        const prepared = config.nodes.map((node) => ({
            config: node,
            keys: new NodeKeys(
                `${name}-${node.name}-keys`,
                {
                    imported: config.importedKeys[node.name] ? pulumi.secret(config.importedKeys[node.name]) : undefined,
                    configPath: settingKey(config.settingsSource, `importedKeys.${node.name}`),
                },
                child,
            ),
            endpoints: new NodeEndpoints(`${name}-${node.name}-endpoints`, { config, node, namespace: this.namespace }, child),
        }));

        const reachable: pulumi.Output<ReachableNode[]> = pulumi.all(
            prepared.map((p) =>
                pulumi
                    .all([p.keys.identity, p.endpoints.p2pNodePort, p.endpoints.tesseraNodePort, p.endpoints.raftNodePort])
                    .apply(([identity, p2pNodePort, tesseraNodePort, raftNodePort]) => ({ config: p.config, identity, p2pNodePort, tesseraNodePort, raftNodePort })),
            ),
        );
        const ownPeers: pulumi.Output<PeerNode[]> = pulumi.all([reachable, nodeIp]).apply(([nodes, ip]) =>
            nodes.map((n) => ({
                name: n.config.name,
                enodeId: n.identity.enodeId,
                host: ip,
                p2pPort: n.p2pNodePort,
                raftPort: n.raftNodePort,
                tesseraUrl: n.tesseraNodePort !== undefined ? tesseraP2pUrl(ip, n.tesseraNodePort) : undefined,
            })),
        );

        // A joiner adopts the founder's genesis byte for byte; a founder computes its own.
        const computedGenesis = consortium.founder
            ? pulumi.output(consortium.founder.doc.genesis)
            : reachable.apply((nodes) => JSON.stringify(genesisOf(config, nodes), null, 2));
        const genesisConfigMap = new k8s.core.v1.ConfigMap(
            `${name}-genesis`,
            { metadata: meta(names.genesisConfigMap), data: { [CONFIG_FILES.genesis]: computedGenesis } },
            // The genesis is fixed once nodes have initialized from it: a node added later must
            // join the same chain, not redefine it. Only an explicit replace regenerates it.
            { ...child, ignoreChanges: ["data", "binaryData"] },
        );
        this.genesis = genesisConfigMap.data.apply((d) => d[CONFIG_FILES.genesis]);
        if (!consortium.founder) {
            // A founder's config may change a genesis-only setting after the genesis froze; say
            // so, rather than let the change vanish (the ConfigMap ignores it).
            pulumi.all([this.genesis, computedGenesis]).apply(([deployed, wanted]) => {
                const differences = genesisSettingDifferences(JSON.parse(deployed) as Genesis, JSON.parse(wanted) as Genesis);
                if (differences.length > 0) pulumi.log.warn(describeGenesisSettingDifferences(differences, (s) => settingKey(config.settingsSource, s)), this);
            });
        }
        this.genesisHash = this.genesis.apply((g) => computeGenesisHash(JSON.parse(g) as Genesis));

        // Every organization's nodes in one order, identical in every cluster. Partners are
        // checked against the genesis this stack actually deployed before any list uses them.
        const order = orgOrder(config.org, consortium.founder?.doc.org ?? config.org, consortium.partners.map((p) => p.doc.org));
        const partnerDoc = new Map(consortium.partners.map((p) => [p.doc.org, p.doc]));
        const peers: pulumi.Output<PeerNode[]> = pulumi.all([ownPeers, this.genesisHash]).apply(([own, hash]) => {
            try {
                checkPartnerGenesis(hash, consortium.partners, config.settingsSource);
            } catch (e) {
                throw new pulumi.RunError((e as Error).message);
            }
            return order.flatMap((org) => (org === config.org ? own : partnerPeers(partnerDoc.get(org)!)));
        });

        this.staticNodes = peers.apply((p) => buildStaticNodes(p, config.consensus));
        const staticNodes = new k8s.core.v1.ConfigMap(
            `${name}-static-nodes`,
            {
                metadata: meta(names.staticNodesConfigMap),
                data: this.staticNodes.apply((list) => ({ [CONFIG_FILES.staticNodes]: JSON.stringify(list, null, 2) })),
            },
            child,
        );
        const permissionedNodes = new k8s.core.v1.ConfigMap(
            `${name}-permissioned-nodes`,
            {
                metadata: meta(names.permissionedNodesConfigMap),
                data: this.staticNodes.apply((list) => ({ [CONFIG_FILES.permissionedNodes]: JSON.stringify(list, null, 2) })),
            },
            child,
        );
        // Validators the consortium wants, in peer-list order: own and partners' role validator.
        const validators = reachable.apply((nodes) =>
            desiredValidators(
                order.flatMap<Pick<ExternalNode, "role" | "validatorAddress">>((org) =>
                    org === config.org
                        ? nodes.map((n) => ({ role: n.config.role, validatorAddress: n.identity.nodeAddress }))
                        : partnerDoc.get(org)!.nodes,
                ),
            ),
        );
        this.desiredValidators = validators;
        const reconciler = new k8s.core.v1.ConfigMap(
            `${name}-reconciler`,
            {
                metadata: meta(names.reconcilerConfigMap),
                data: pulumi.all([this.staticNodes, validators]).apply(([enodes, vals]) => ({
                    [RECONCILE_SCRIPT]: buildReconcileScript({ consensus: config.consensus, enodes, validators: vals }),
                })),
            },
            child,
        );
        const sharedConfig = [genesisConfigMap, staticNodes, permissionedNodes, reconciler];

        const pin = config.networkPolicy.enabled && config.networkPolicy.externalFrom === "partners" ? plan.nodeHostname : undefined;
        const built: OrganizationNode[] = [];
        for (const p of prepared) {
            const node = new QuorumNode(
                `${name}-${p.config.name}`,
                {
                    config,
                    node: p.config,
                    namespace: this.namespace,
                    identity: p.keys.identity,
                    secrets: p.keys.secrets,
                    tesseraP2pUrl: p.config.tessera
                        ? pulumi.all([nodeIp, p.endpoints.tesseraNodePort]).apply(([ip, port]) => tesseraP2pUrl(ip, port as number))
                        : undefined,
                    tesseraPeers: peers.apply((all) => buildTesseraPeers(all, p.config.name)),
                    sharedConfig,
                    pinnedHostname: pin,
                    rollAfter: built.at(-1)?.node.statefulSet,
                },
                child,
            );
            built.push({ ...p, node });
        }
        this.nodes = built;

        if (config.nodes.some((n) => n.role === "validator")) {
            new k8s.policy.v1.PodDisruptionBudget(
                `${name}-validator-budget`,
                {
                    metadata: meta(names.validatorBudget),
                    spec: validators.apply((v) => buildValidatorPdbSpec(config.org, faultTolerance(config.consensus, v.length))),
                },
                child,
            );
        }
        if (networkPolicySpec) {
            new k8s.networking.v1.NetworkPolicy(`${name}-network-policy`, { metadata: meta(names.networkPolicy), spec: networkPolicySpec }, child);
        }
        if (config.monitoring.serviceMonitor) {
            new k8s.apiextensions.CustomResource(
                `${name}-service-monitor`,
                { ...buildServiceMonitor(config.org, config.namespace), metadata: meta(names.serviceMonitor) },
                child,
            );
        }
        if (config.ingress.enabled) {
            new k8s.networking.v1.Ingress(`${name}-ingress`, { metadata: meta(names.ingress), spec: buildIngressSpec(config) }, child);
        }

        if (config.monitoring.prometheus) {
            this.monitoring = new Monitoring(`${name}-monitoring`, { config, namespace: this.namespace }, child);
        }
        if (config.explorer.enabled) {
            new Explorer(`${name}-explorer`, { config, namespace: this.namespace }, child);
        }
        if (config.acceptanceTest.enabled) {
            new AcceptanceTest(
                `${name}-acceptance`,
                {
                    config,
                    namespace: this.namespace,
                    nodes: reachable.apply((nodes) =>
                        nodes.map((n) => ({ name: n.config.name, tesseraPublicKey: n.config.tessera ? n.identity.tesseraPublicKey : undefined })),
                    ),
                    dependsOn: this.nodes.map((n) => n.node),
                },
                child,
            );
        }

        this.externalNodes = pulumi.all([reachable, nodeIp, this.genesisHash, this.genesis]).apply(([nodes, ip, genesisHash, genesis]) => {
            // An update that skipped creating a node's Services (`pulumi up --target`, say) has no
            // NodePorts for it: publishing the document anyway would hand partners enode URLs with
            // no port. Without it, partners count this organization as pending, as before its first update.
            const unallocated = nodes.filter((n) => !isPort(n.p2pNodePort) || (n.config.tessera && !isPort(n.tesseraNodePort)) || (config.consensus === "raft" && !isPort(n.raftNodePort)));
            if (unallocated.length > 0) {
                pulumi.log.warn(
                    `externalNodes is not exported: the NodePorts of ${unallocated.map((n) => n.config.name).join(", ")} are not allocated yet (their Services were never created, e.g. by an update with --target); partners count ${config.org} as pending until they are`,
                    this,
                );
                return undefined;
            }
            return {
                schemaVersion: EXTERNAL_NODES_SCHEMA_VERSION,
                org: config.org,
                chainId: config.chainId,
                consensus: config.consensus,
                genesisHash,
                genesis,
                nodeIp: ip,
                namespace: config.namespace,
                nodes: nodes.map((n) =>
                    buildExternalNode(
                        {
                            name: n.config.name,
                            role: n.config.role,
                            enodeId: n.identity.enodeId,
                            nodeAddress: n.identity.nodeAddress,
                            accountAddress: n.identity.accountAddress,
                            tesseraPublicKey: n.config.tessera ? n.identity.tesseraPublicKey : undefined,
                            p2pNodePort: n.p2pNodePort,
                            tesseraNodePort: n.tesseraNodePort,
                            raftNodePort: n.raftNodePort,
                        },
                        ip,
                        config.consensus,
                    ),
                ),
            };
        });

        this.registerOutputs({ namespace: this.namespace, nodeIp: this.nodeIp, genesisHash: this.genesisHash, externalNodes: this.externalNodes });
    }
}
