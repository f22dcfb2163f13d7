/**
 * Kubernetes manifests from the objects a program declares: one YAML file per object, in a
 * layout that only depends on the objects, with keys in a fixed order so the same objects always
 * give byte-identical files. Secrets are left out unless asked for; what is left out is listed
 * (name, namespace, keys) so an operator can provide each Secret under the name the manifests use.
 */
import { stringify } from "yaml";
import { QstackError } from "../errors";
import { sortedJson } from "../genesis/canonical-json";

/** A Kubernetes object as declared: its Pulumi type token and its fields (secret values unwrapped). */
export interface DeclaredObject {
    /** e.g. `kubernetes:apps/v1:StatefulSet`. */
    readonly type: string;
    readonly object: KubernetesObject;
}

export interface KubernetesObject {
    readonly apiVersion: string;
    readonly kind: string;
    readonly metadata: { readonly name: string; readonly namespace?: string; readonly [key: string]: unknown };
    readonly [field: string]: unknown;
}

export interface RenderedFile {
    /** Relative to the output directory, `/`-separated. */
    readonly path: string;
    readonly content: string;
    /** Holds private key material: written only on request, with owner-only permissions. */
    readonly secret: boolean;
}

/** A Secret the manifests refer to but that was not written. */
export interface OmittedSecret {
    readonly name: string;
    readonly namespace?: string;
    /** The keys its data must hold, sorted. */
    readonly keys: readonly string[];
}

/** Folder of cluster-scoped objects (namespaces are DNS labels, so it cannot clash with one). */
export const CLUSTER_SCOPED_DIR = "_cluster";

/** The Pulumi types that are Kubernetes objects (not providers, components or other packages). */
export function isKubernetesObjectType(type: string): boolean {
    return type.startsWith("kubernetes:") && !type.startsWith("kubernetes:index:") && type.split(":").length === 3;
}

/** Where an object's manifest goes: `manifests/<namespace>/<kind>-<name>.yaml`. */
export function manifestPath(object: KubernetesObject): string {
    const dir = object.metadata.namespace ?? CLUSTER_SCOPED_DIR;
    return `manifests/${dir}/${object.kind.toLowerCase()}-${object.metadata.name}.yaml`;
}

/** One object as YAML: apiVersion, kind, metadata first (as kubectl writes them), then the rest sorted. */
export function formatManifest(object: KubernetesObject): string {
    const { apiVersion, kind, metadata, ...rest } = object;
    const ordered = { apiVersion, kind, metadata: sortedJson(metadata), ...(sortedJson(rest) as object) };
    // lineWidth 0: never fold long strings (scripts, JSON), so a file diffs line by line.
    return stringify(ordered, { lineWidth: 0 });
}

function secretKeys(object: KubernetesObject): string[] {
    const keys = new Set<string>();
    for (const field of ["data", "stringData"]) {
        const data = object[field];
        if (data && typeof data === "object") Object.keys(data).forEach((k) => keys.add(k));
    }
    return [...keys].sort();
}

/**
 * The manifests of `objects`, sorted by path.
 * @param includeSecrets write Secret objects too (marked `secret`); by default they are listed in `omittedSecrets` instead
 */
export function renderManifests(objects: readonly DeclaredObject[], includeSecrets: boolean): { files: RenderedFile[]; omittedSecrets: OmittedSecret[] } {
    const files: RenderedFile[] = [];
    const omittedSecrets: OmittedSecret[] = [];
    const seen = new Map<string, string>();
    for (const { type, object } of objects) {
        const path = manifestPath(object);
        const previous = seen.get(path);
        if (previous !== undefined) {
            throw new QstackError("INVALID_CONFIG", [{ key: path, reason: `two objects render to the same file (${previous} and ${type})`, allowed: "one object per kind, name and namespace" }]);
        }
        seen.set(path, type);
        const secret = object.kind === "Secret" && object.apiVersion === "v1";
        if (secret && !includeSecrets) {
            omittedSecrets.push({ name: object.metadata.name, ...(object.metadata.namespace ? { namespace: object.metadata.namespace } : {}), keys: secretKeys(object) });
            continue;
        }
        files.push({ path, content: formatManifest(object), secret });
    }
    const byPath = (a: { path: string }, b: { path: string }) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
    const byName = (a: OmittedSecret, b: OmittedSecret) => `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`);
    return { files: files.sort(byPath), omittedSecrets: omittedSecrets.sort(byName) };
}

/** A NodePort the manifests leave to the cluster: partners cannot be told it before an apply. */
export interface UnknownNodePort {
    /** `<namespace>/<Service name>`. */
    readonly service: string;
    /** The Service port's name (`p2p`, `tm-p2p`, `raft`). */
    readonly port: string;
}

/** Each port of a NodePort Service that has no nodePort, in declaration order. */
export function unknownNodePorts(objects: readonly DeclaredObject[]): UnknownNodePort[] {
    return objects.flatMap(({ object }) => {
        const spec = object.spec as { type?: string; ports?: { name?: string; port?: number; nodePort?: number }[] } | undefined;
        if (object.kind !== "Service" || spec?.type !== "NodePort") return [];
        return (spec.ports ?? []).filter((p) => p.nodePort === undefined).map((p) => ({ service: `${object.metadata.namespace ?? ""}/${object.metadata.name}`, port: p.name ?? String(p.port) }));
    });
}
