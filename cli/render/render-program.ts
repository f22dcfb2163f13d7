/**
 * Runs qstack's stack program without an engine or a cluster: the program itself
 * (`QuorumOrganization.fromStackConfig`, as index.ts calls it) under Pulumi's mocks, fed the
 * stack's real config and last deployment. What it declares is what `pulumi up` would send to
 * the cluster: the mocks only answer what the engine and the cluster would (key seeds from the
 * state, the NodePorts the cluster allocated, partner stacks' outputs from the backend).
 */
import * as pulumi from "@pulumi/pulumi";
import { QuorumOrganization } from "../../components/organization";
import { pulumiPartnerIo, type PartnerIo } from "../../components/partners";
import type { NetworkConfig } from "../../core/config/schema";
import { QstackError } from "../../core/errors";
import type { ExternalNodesDocument } from "../../core/export/external-nodes";
import { isKubernetesObjectType, type DeclaredObject, type KubernetesObject } from "../../core/render/manifests";
import { unwrapWireSecrets } from "./secret-values";
import type { StackState } from "./stack-state";

export interface RenderSources {
    readonly project: string;
    readonly stack: string;
    /** The project directory: partner files are read relative to it, partner stacks listed from it. */
    readonly projectDir: string;
    readonly state: StackState;
    /** A partner stack's outputs, as a StackReference would read them. */
    partnerOutputs(stack: string): Promise<Record<string, unknown> | undefined>;
    /** @default - partner stacks listed in and read from the backend, files relative to projectDir */
    readonly partnerIo?: PartnerIo;
}

export interface RenderedProgram {
    readonly config: NetworkConfig;
    /** Kubernetes objects in declaration order, secret values unwrapped. */
    readonly objects: readonly DeclaredObject[];
    /** Undefined while a node's NodePorts are not known (neither pinned nor allocated by a deployment). */
    readonly externalNodes?: ExternalNodesDocument;
    readonly pendingPartners: readonly string[];
}

/** A Service as the cluster holds it: unpinned NodePorts as the last deployment allocated them. */
function withAllocatedNodePorts(object: KubernetesObject, allocated: ReadonlyMap<string, number> | undefined): KubernetesObject {
    const spec = object.spec as { type?: string; ports?: { name?: string; nodePort?: number }[] } | undefined;
    if (spec?.type !== "NodePort" || allocated === undefined) return object;
    const ports = (spec.ports ?? []).map((p) => (p.nodePort === undefined && p.name && allocated.has(p.name) ? { ...p, nodePort: allocated.get(p.name) } : p));
    return { ...object, spec: { ...spec, ports } };
}

/** `object` with each `ignoreChanges` path (dotted) as last deployed, as the engine keeps it; a new object keeps its own. */
function withIgnoredChanges(object: KubernetesObject, paths: readonly string[], deployed: Record<string, unknown> | undefined): KubernetesObject {
    if (deployed === undefined || paths.length === 0) return object;
    const copy = structuredClone(object) as Record<string, unknown>;
    for (const path of paths) {
        const keys = path.split(".");
        const last = keys.pop() as string;
        let from: unknown = deployed;
        let to: Record<string, unknown> | undefined = copy;
        for (const k of keys) {
            from = (from as Record<string, unknown> | undefined)?.[k];
            to = to?.[k] as Record<string, unknown> | undefined;
        }
        if (to === undefined) continue;
        const old = (from as Record<string, unknown> | undefined)?.[last];
        if (old === undefined) delete to[last];
        else to[last] = old;
    }
    return copy as unknown as KubernetesObject;
}

/**
 * Declares the stack's organization under mocks and collects what it declared.
 * @throws QstackError the program's own errors (bad config, bad partners), and INVALID_ARGUMENT
 *   when the stack's state lacks a node's key seed
 */
export async function renderProgram(sources: RenderSources): Promise<RenderedProgram> {
    const objects: DeclaredObject[] = [];
    const missingSeeds: string[] = [];
    // Mocks see no resource options; the engine keeps ignoreChanges paths as last deployed.
    const ignoreChanges = new Map<string, readonly string[]>();
    const recordIgnoreChanges: pulumi.ResourceTransformation = (args) => {
        if (args.opts.ignoreChanges?.length) ignoreChanges.set(args.name, args.opts.ignoreChanges);
        return undefined;
    };
    const mocks: pulumi.runtime.Mocks = {
        async newResource(args) {
            if (args.type === "random:index/randomPassword:RandomPassword") {
                const result = sources.state.seeds.get(args.name);
                if (result === undefined) missingSeeds.push(args.name);
                return { id: args.name, state: { ...args.inputs, result: result ?? "" } };
            }
            if (args.type === "pulumi:pulumi:StackReference") {
                const outputs = (await sources.partnerOutputs(args.inputs.name)) ?? {};
                return { id: args.inputs.name, state: { name: args.inputs.name, outputs, secretOutputNames: [] } };
            }
            if (!isKubernetesObjectType(args.type)) return { id: args.name, state: args.inputs };
            let object = withIgnoredChanges(unwrapWireSecrets(args.inputs) as KubernetesObject, ignoreChanges.get(args.name) ?? [], sources.state.deployedInputs.get(args.name));
            if (args.type === "kubernetes:core/v1:Service") object = withAllocatedNodePorts(object, sources.state.nodePorts.get(args.name));
            objects.push({ type: args.type, object });
            return { id: `${object.metadata.namespace ?? ""}/${object.metadata.name}`, state: object };
        },
        call: (args) => args.inputs,
    };
    await pulumi.runtime.setMocks(mocks, sources.project, sources.stack, false);
    pulumi.runtime.setAllConfig(sources.state.config, [...sources.state.secretKeys]);
    const org = await QuorumOrganization.fromStackConfig({ transformations: [recordIgnoreChanges] }, sources.partnerIo ?? pulumiPartnerIo(sources.projectDir)).catch((e: unknown) => {
        throw e instanceof pulumi.RunError && e.cause instanceof QstackError ? e.cause : e;
    });
    const externalNodes = await new Promise<ExternalNodesDocument | undefined>((done) => org.externalNodes.apply(done));
    // Every registration (the component's children declare theirs asynchronously) reaches the mocks.
    await (pulumi.runtime as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();
    if (missingSeeds.length > 0) {
        throw new QstackError("INVALID_ARGUMENT", [
            {
                key: "-s",
                // Seeds are named <component>-<node>-keys-seed, the component after the organization.
                reason: `the stack's state holds no keys for ${missingSeeds.map((s) => s.replace(/-keys-seed$/, "").replace(`${org.config.org}-`, "")).join(", ")}`,
                value: sources.stack,
                allowed: "a stack deployed once with these nodes (pulumi up), so render uses the keys the network knows",
            },
        ]);
    }
    return { config: org.config, objects, externalNodes, pendingPartners: org.pendingPartners };
}
