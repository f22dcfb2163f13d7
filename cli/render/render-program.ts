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

const RANDOM_PASSWORD = "random:index/randomPassword:RandomPassword";

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
    /** Generated secrets (key seeds, passwords) the stack's state does not hold yet; empty once deployed. */
    readonly missingSecrets: readonly MissingSecret[];
}

/** A `random.RandomPassword` the program declares but the state lacks. */
export interface MissingSecret {
    /** Its resource name, e.g. `org-a-a-validator1-keys-seed`. */
    readonly name: string;
    /**
     * What a targeted `pulumi up` must create to store it, as the engine names them: the secret,
     * the components above it, and the stack (a targeted resource's parents must exist).
     */
    readonly targets: readonly string[];
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
 * @throws QstackError the program's own errors (bad config, bad partners)
 */
export async function renderProgram(sources: RenderSources): Promise<RenderedProgram> {
    const objects: DeclaredObject[] = [];
    const missingSeeds: string[] = [];
    // Mocks see no resource options; the engine keeps ignoreChanges paths as last deployed.
    const ignoreChanges = new Map<string, readonly string[]>();
    // Mocks see no parents either; a targeted pulumi up needs each missing secret's ancestry.
    // Names repeat across types (a NodeKeys component and its node's Secret), so by type and name.
    const declared = new WeakMap<pulumi.Resource, Declaration>();
    const byTypeAndName = new Map<string, Declaration>();
    const recordOptions: pulumi.ResourceTransformation = (args) => {
        if (args.opts.ignoreChanges?.length) ignoreChanges.set(args.name, args.opts.ignoreChanges);
        const declaration = { type: args.type, name: args.name, parent: args.opts.parent && declared.get(args.opts.parent) };
        declared.set(args.resource, declaration);
        byTypeAndName.set(`${args.type}::${args.name}`, declaration);
        return undefined;
    };
    const mocks: pulumi.runtime.Mocks = {
        async newResource(args) {
            if (args.type === RANDOM_PASSWORD) {
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
    const org = await QuorumOrganization.fromStackConfig({ transformations: [recordOptions] }, sources.partnerIo ?? pulumiPartnerIo(sources.projectDir)).catch((e: unknown) => {
        throw e instanceof pulumi.RunError && e.cause instanceof QstackError ? e.cause : e;
    });
    const externalNodes = await new Promise<ExternalNodesDocument | undefined>((done) => org.externalNodes.apply(done));
    // Every registration (the component's children declare theirs asynchronously) reaches the mocks.
    await (pulumi.runtime as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();
    const stackUrn = `urn:pulumi:${sources.stack}::${sources.project}::pulumi:pulumi:Stack::${sources.project}-${sources.stack}`;
    const missingSecrets = missingSeeds.map((name) => {
        const chain = ancestry(byTypeAndName.get(`${RANDOM_PASSWORD}::${name}`));
        return { name, targets: [...chain.map((_, i) => urnOf(chain.slice(i), sources)), stackUrn] };
    });
    return { config: org.config, objects, externalNodes, pendingPartners: org.pendingPartners, missingSecrets };
}

/** A resource as the program declared it: what its URN is made of. */
interface Declaration {
    readonly type: string;
    readonly name: string;
    readonly parent?: Declaration;
}

/** The declaration and the components above it, innermost first. */
function ancestry(declaration: Declaration | undefined): Declaration[] {
    const chain: Declaration[] = [];
    for (let at = declaration; at !== undefined; at = at.parent) chain.push(at);
    return chain;
}

/** The URN the engine gives `chain[0]`: its type qualified by its ancestors' types, outermost first (the stack not included). */
function urnOf(chain: readonly Declaration[], sources: RenderSources): string {
    const qualifiedType = chain.map((d) => d.type).reverse().join("$");
    return `urn:pulumi:${sources.stack}::${sources.project}::${qualifiedType}::${chain[0].name}`;
}

/**
 * The error for a render whose stack lacks generated secrets: which nodes (or other secrets), and
 * the two ways to get them.
 */
export function missingSecretsError(stack: string, org: string, missing: readonly MissingSecret[]): QstackError {
    // Seeds are named <org>-<node>-keys-seed (the component after the organization).
    const what = missing.map((m) => (m.name.endsWith("-keys-seed") ? m.name.slice(0, -"-keys-seed".length).replace(`${org}-`, "") : m.name));
    return new QstackError("INVALID_ARGUMENT", [
        {
            key: "-s",
            reason: `the stack's state holds no keys for ${what.join(", ")}`,
            value: stack,
            allowed: "a stack deployed once with these nodes (pulumi up), or --create-keys to generate and store them in the stack's state without deploying",
        },
    ]);
}
