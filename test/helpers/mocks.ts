/**
 * Pulumi mocks for component tests: records every resource (type, name, inputs), allocates
 * NodePorts the way an API server would for unpinned ports, and gives `random.RandomPassword`
 * a result derived from the resource name, so "the same state" means the same names.
 */
import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import type { ExternalNodesDocument } from "../../core/export/external-nodes";

export interface RecordedResource {
    readonly type: string;
    readonly name: string;
    readonly inputs: Record<string, any>;
}

export const recorded: RecordedResource[] = [];
/** Outputs of other stacks, served to `pulumi.StackReference` by stack name. */
export const stackOutputs = new Map<string, Record<string, unknown>>();
/** Resource options as declared by the program, by resource name (mocks never see options). */
export const declaredOptions = new Map<string, pulumi.CustomResourceOptions>();
let nextNodePort = 30000;
/**
 * Services whose NodePorts stay unallocated, as in an update that did not create them
 * (`pulumi up --target` of other resources): their state has no `nodePort`.
 */
export const unallocatedServices = new Set<string>();
/**
 * ConfigMaps whose state keeps earlier data, by resource name, as one with `ignoreChanges` on
 * its data does after the program changed what it declares (the frozen genesis).
 */
export const deployedConfigMapData = new Map<string, Record<string, string>>();

function bytesFor(name: string, length: number): Buffer {
    const out: Buffer[] = [];
    for (let i = 0; out.length * 32 < length; i++) out.push(createHash("sha256").update(`${name}/${i}`).digest());
    return Buffer.concat(out).subarray(0, length);
}

function allocateNodePorts(inputs: Record<string, any>): Record<string, any> {
    if (inputs?.spec?.type !== "NodePort") return inputs;
    const ports = (inputs.spec.ports as any[]).map((p) => ({ ...p, nodePort: p.nodePort ?? nextNodePort++ }));
    return { ...inputs, spec: { ...inputs.spec, ports } };
}

const mocks: pulumi.runtime.Mocks = {
    newResource(args: pulumi.runtime.MockResourceArgs) {
        recorded.push({ type: args.type, name: args.name, inputs: args.inputs });
        let state: Record<string, any> = args.inputs;
        if (args.type === "random:index/randomPassword:RandomPassword") {
            const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
            const result = [...bytesFor(args.name, args.inputs.length)].map((b) => alphabet[b % alphabet.length]).join("");
            return { id: "none", state: { ...args.inputs, result } };
        } else if (args.type === "pulumi:pulumi:StackReference") {
            state = { name: args.inputs.name, outputs: stackOutputs.get(args.inputs.name) ?? {}, secretOutputNames: [] };
        } else if (args.type === "kubernetes:core/v1:Service" && !unallocatedServices.has(args.name)) {
            state = allocateNodePorts(args.inputs);
        } else if (args.type === "kubernetes:core/v1:ConfigMap" && deployedConfigMapData.has(args.name)) {
            state = { ...args.inputs, data: deployedConfigMapData.get(args.name) };
        }
        return { id: `${args.name}-id`, state };
    },
    call(args: pulumi.runtime.MockCallArgs) {
        return args.inputs;
    },
};

/** Pass as `transformations` of the component under test to record its children's options. */
export const recordOptions: pulumi.ResourceTransformation = (args) => {
    declaredOptions.set(args.name, args.opts as pulumi.CustomResourceOptions);
    return undefined;
};

/** Installs the mocks with a fresh record; call before constructing resources. */
export function installMocks(project = "qstack", stack = "test"): void {
    recorded.length = 0;
    declaredOptions.clear();
    stackOutputs.clear();
    unallocatedServices.clear();
    deployedConfigMapData.clear();
    nextNodePort = 30000;
    pulumi.runtime.setMocks(mocks, project, stack, false);
}

/** Resolves an Output's value (mocks make every value known); rejects if the Output failed. */
export function promiseOf<T>(output: pulumi.Output<T> | pulumi.Input<T>): Promise<T> {
    // `promise()` is internal to the SDK but is the only way to observe a failed apply.
    return (pulumi.output(output) as unknown as { promise(): Promise<T> }).promise();
}

/** An organization's `externalNodes` document; rejects when the organization did not export one. */
export async function exportedNodes(org: { externalNodes: pulumi.Output<ExternalNodesDocument | undefined> }): Promise<ExternalNodesDocument> {
    const doc = await promiseOf(org.externalNodes);
    if (doc === undefined) throw new Error("externalNodes is not exported");
    return doc;
}

/** Recorded resources of one type (e.g. "kubernetes:apps/v1:StatefulSet"). */
export function ofType(type: string): RecordedResource[] {
    return recorded.filter((r) => r.type === type);
}

/** Waits until every pending resource registration has reached the mocks. */
export async function settle(): Promise<void> {
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
}
