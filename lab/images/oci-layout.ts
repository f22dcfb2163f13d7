/**
 * Container images without Docker or a registry: a root filesystem description (files with
 * content or a host source, directories, symlinks, each with mode and numeric owner) or a host
 * directory becomes one gzip layer, an image config, a manifest and an index, written as an OCI
 * image layout tar that `ctr -n k8s.io images import` accepts.
 *
 * What containerd needs, and why each piece is here:
 * - config `os`/`architecture`: ctr import silently drops an image whose config leaves them
 *   empty (../shared/docs/real-nodes-notes.md, "Images without a registry"); the index entry
 *   carries the same platform so the platform filter never has to guess.
 * - index annotation `io.containerd.image.name` = the fully normalised reference
 *   (`docker.io/qstack-lab/quorum:24.4.1`): ctr takes it verbatim as the image name, and the CRI
 *   plugin finds an image only under the normalised form of the pod's `image:` field.
 *   `org.opencontainers.image.ref.name` holds the tag alone, as the OCI spec and BuildKit do.
 * - the tag is never `latest`: kubelet would then default to imagePullPolicy Always, and
 *   there is no registry to pull from.
 *
 * The tar format is written by ./tar.ts (ustar + PAX for long paths), not by GNU tar: the
 * recipes describe files that exist nowhere on disk, owned by ids other than the host's, and
 * the archive must be byte-identical for identical input. Entries are sorted by path bytes
 * (so a directory precedes its contents), every mtime is 0, parents missing from the
 * description are added as root-owned 0755 directories, and the gzip stream has no name and
 * mtime 0. Hard links, device nodes and multi-layer images are deliberately unsupported.
 *
 * Pure apart from reading the source files it is pointed at and writing the archive (Node
 * stdlib: crypto, zlib, fs).
 */
import { createHash } from "node:crypto";
import { closeSync, fsyncSync, lstatSync, openSync, readdirSync, readFileSync, readlinkSync, renameSync, writeSync } from "node:fs";
import { join, posix } from "node:path";
import { gzipSync } from "node:zlib";
import { TAR_END, TarEntry, tarEntryBlocks } from "./tar";

export const MEDIA_TYPES = {
    index: "application/vnd.oci.image.index.v1+json",
    manifest: "application/vnd.oci.image.manifest.v1+json",
    config: "application/vnd.oci.image.config.v1+json",
    layer: "application/vnd.oci.image.layer.v1.tar+gzip",
} as const;

/** The index annotation ctr names an imported image by. */
export const CONTAINERD_IMAGE_NAME = "io.containerd.image.name";
export const OCI_REF_NAME = "org.opencontainers.image.ref.name";

interface Owned {
    /** Absolute path inside the image, e.g. "/usr/local/bin/geth". */
    readonly path: string;
    /** Numeric owner; 0 (root) unless given. */
    readonly uid?: number;
    readonly gid?: number;
}
export interface DirEntry extends Owned {
    readonly kind: "dir";
    /** Defaults to 0o755. */
    readonly mode?: number;
}
/** A regular file: exactly one of `content` (inline) or `source` (a host file read when the layer is written). */
export interface FileEntry extends Owned {
    readonly kind: "file";
    /** Defaults to 0o644 for inline content and to the host file's permission bits for a source. */
    readonly mode?: number;
    readonly content?: Buffer | string;
    readonly source?: string;
}
export interface SymlinkEntry extends Owned {
    readonly kind: "symlink";
    readonly target: string;
}
export type RootfsEntry = DirEntry | FileEntry | SymlinkEntry;

export interface ImageConfig {
    readonly entrypoint?: readonly string[];
    readonly cmd?: readonly string[];
    readonly env?: readonly string[];
    /** "uid:gid" (numeric, so kubelet can check runAsNonRoot without a passwd lookup). */
    readonly user?: string;
    readonly workingDir?: string;
    readonly labels?: Readonly<Record<string, string>>;
}

export interface ImageSpec {
    /** Repository without tag, e.g. "qstack-lab/quorum". */
    readonly name: string;
    readonly tag: string;
    /** The layer's contents: a description, or a host directory taken as the image root. */
    readonly rootfs: readonly RootfsEntry[] | string;
    readonly config: ImageConfig;
    /** GOARCH-style architecture; defaults to the host's (the recipes package host-built binaries). */
    readonly architecture?: string;
    /** Recorded in the config's history: what made the layer. */
    readonly createdBy?: string;
}

export interface Blob {
    readonly mediaType: string;
    readonly digest: string;
    readonly data: Buffer;
}

export interface BuiltImage {
    /** The normalised reference ctr names the image by, e.g. "docker.io/qstack-lab/quorum:24.4.1". */
    readonly reference: string;
    readonly layer: Blob;
    /** sha256 of the uncompressed layer tar (the config's rootfs.diff_ids entry). */
    readonly diffId: string;
    readonly config: Blob;
    readonly manifest: Blob;
    readonly index: Buffer;
}

const sha256 = (data: Buffer | string) => `sha256:${createHash("sha256").update(data).digest("hex")}`;
const blob = (mediaType: string, data: Buffer): Blob => ({ mediaType, digest: sha256(data), data });
const descriptor = (b: Blob) => ({ mediaType: b.mediaType, digest: b.digest, size: b.data.length });

/** GOARCH names of the Node architectures the lab can run on. */
const GOARCH: Record<string, string> = { x64: "amd64", arm64: "arm64" };

export function hostArchitecture(): string {
    const arch = GOARCH[process.arch];
    if (!arch) throw new Error(`oci-layout: no OCI architecture name known for Node's process.arch "${process.arch}"`);
    return arch;
}

/**
 * The reference as containerd's CRI plugin resolves it (docker.io and library/ for short
 * names), which is the name an imported image must carry for a pod's `image:` to find it.
 */
export function normalizedReference(name: string, tag: string): string {
    const parts = name.split("/");
    const hasDomain = parts.length > 1 && (/[.:]/.test(parts[0]) || parts[0] === "localhost");
    const domainOk = !hasDomain || /^[A-Za-z0-9.-]+(?::[0-9]+)?$/.test(parts[0]);
    const pathOk = parts.slice(hasDomain ? 1 : 0).every((c) => /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/.test(c));
    if (!domainOk || !pathOk) throw new Error(`oci-layout: "${name}" is not a valid image repository name`);
    if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(tag)) throw new Error(`oci-layout: "${tag}" is not a valid image tag`);
    if (tag === "latest") throw new Error("oci-layout: tag 'latest' makes kubelet pull (imagePullPolicy Always); use a version tag");
    const full = hasDomain ? name : parts.length > 1 ? `docker.io/${name}` : `docker.io/library/${name}`;
    return `${full}:${tag}`;
}

/** The entries of a host directory placed at `at` in the image, owned by `uid:gid` (host owners are not copied). */
export function rootfsFromDirectory(dir: string, at = "/", owner: { uid?: number; gid?: number } = {}): RootfsEntry[] {
    const out: RootfsEntry[] = [];
    const walk = (hostDir: string, imageDir: string) => {
        for (const name of readdirSync(hostDir).sort()) {
            const host = join(hostDir, name);
            const path = posix.join(imageDir, name);
            const st = lstatSync(host);
            if (st.isSymbolicLink()) out.push({ kind: "symlink", path, target: readlinkSync(host), ...owner });
            else if (st.isDirectory()) {
                out.push({ kind: "dir", path, mode: st.mode & 0o7777, ...owner });
                walk(host, path);
            } else if (st.isFile()) out.push({ kind: "file", path, source: host, mode: st.mode & 0o7777, ...owner });
            else throw new Error(`oci-layout: ${host} is neither a file, a directory nor a symlink`);
        }
    };
    walk(dir, at);
    return out;
}

/** An entry after validation: relative archive path, defaults applied. */
interface Normalized {
    readonly key: string;
    readonly entry: RootfsEntry;
    readonly mode: number;
    readonly uid: number;
    readonly gid: number;
}

function normalizePath(path: string): string {
    // ".." is refused rather than resolved: a description that needs it is a mistake.
    if (path.split("/").includes("..")) throw new Error(`oci-layout: invalid path "${path}"`);
    const p = posix.normalize(`/${path}`).replace(/^\/+/, "").replace(/\/+$/, "");
    if (p === "" || p === ".") throw new Error(`oci-layout: invalid path "${path}"`);
    return p;
}

function checkId(what: string, value: number, path: string): number {
    if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) throw new Error(`oci-layout: ${what} ${value} of ${path} is not a valid id`);
    return value;
}

/** Validated, defaulted, parent-completed and sorted entries. */
function normalize(rootfs: readonly RootfsEntry[]): Normalized[] {
    const byKey = new Map<string, Normalized>();
    for (const e of rootfs) {
        const key = normalizePath(e.path);
        if (byKey.has(key)) throw new Error(`oci-layout: ${e.path} is described twice`);
        let mode: number;
        if (e.kind === "symlink") mode = 0o777;
        else if (e.kind === "dir") mode = e.mode ?? 0o755;
        else {
            if ((e.content === undefined) === (e.source === undefined)) throw new Error(`oci-layout: file ${e.path} needs exactly one of content or source`);
            mode = e.mode ?? (e.source !== undefined ? lstatSync(e.source).mode & 0o777 : 0o644);
        }
        if (!Number.isInteger(mode) || mode < 0 || mode > 0o7777) throw new Error(`oci-layout: mode ${mode} of ${e.path} is not a permission mode`);
        byKey.set(key, { key, entry: e, mode, uid: checkId("uid", e.uid ?? 0, e.path), gid: checkId("gid", e.gid ?? 0, e.path) });
    }
    for (const key of [...byKey.keys()]) {
        const parts = key.split("/");
        for (let i = 1; i < parts.length; i++) {
            const parent = parts.slice(0, i).join("/");
            const existing = byKey.get(parent);
            if (existing && existing.entry.kind !== "dir") throw new Error(`oci-layout: /${parent} is a ${existing.entry.kind} but /${key} is inside it`);
            if (!existing) byKey.set(parent, { key: parent, entry: { kind: "dir", path: `/${parent}` }, mode: 0o755, uid: 0, gid: 0 });
        }
    }
    // Byte order of the path: a directory's own entry sorts before everything inside it.
    return [...byKey.values()].sort((a, b) => Buffer.compare(Buffer.from(a.key), Buffer.from(b.key)));
}

function fileContent(e: FileEntry): Buffer {
    if (e.source !== undefined) return readFileSync(e.source);
    return Buffer.isBuffer(e.content) ? e.content : Buffer.from(e.content ?? "", "utf8");
}

function toTarEntry(n: Normalized): TarEntry {
    const e = n.entry;
    const common = { mode: n.mode, uid: n.uid, gid: n.gid };
    if (e.kind === "dir") return { type: "dir", name: `${n.key}/`, ...common };
    if (e.kind === "symlink") return { type: "symlink", name: n.key, linkname: e.target, ...common };
    return { type: "file", name: n.key, content: fileContent(e), ...common };
}

function entriesOf(rootfs: ImageSpec["rootfs"]): Normalized[] {
    return normalize(typeof rootfs === "string" ? rootfsFromDirectory(rootfs) : rootfs);
}

/** The uncompressed layer tar of a root filesystem description. */
export function layerTar(rootfs: readonly RootfsEntry[] | string): Buffer {
    return Buffer.concat([...entriesOf(rootfs).flatMap((n) => tarEntryBlocks(toTarEntry(n))), TAR_END]);
}

function sortedRecord(r: Readonly<Record<string, string>> | undefined): Record<string, string> | undefined {
    if (!r) return undefined;
    return Object.fromEntries(Object.entries(r).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The image config JSON object (OCI image spec, config.md). */
function configObject(spec: ImageSpec, diffId: string): Record<string, unknown> {
    const c = spec.config;
    const runtime: Record<string, unknown> = {};
    if (c.user !== undefined) runtime.User = c.user;
    if (c.env !== undefined) runtime.Env = [...c.env];
    if (c.entrypoint !== undefined) runtime.Entrypoint = [...c.entrypoint];
    if (c.cmd !== undefined) runtime.Cmd = [...c.cmd];
    if (c.workingDir !== undefined) runtime.WorkingDir = c.workingDir;
    if (c.labels !== undefined) runtime.Labels = sortedRecord(c.labels);
    return {
        architecture: spec.architecture ?? hostArchitecture(),
        os: "linux",
        config: runtime,
        rootfs: { type: "layers", diff_ids: [diffId] },
        history: [{ created_by: spec.createdBy ?? "qstack lab/images/oci-layout.ts" }],
    };
}

/** Layer, config, manifest and index of an image, in memory. */
export function buildImage(spec: ImageSpec): BuiltImage {
    const reference = normalizedReference(spec.name, spec.tag);
    const architecture = spec.architecture ?? hostArchitecture();
    const tar = layerTar(spec.rootfs);
    const diffId = sha256(tar);
    // zlib's gzip header has no file name and mtime 0: the compressed bytes depend on the tar alone.
    const layer = blob(MEDIA_TYPES.layer, gzipSync(tar));
    const config = blob(MEDIA_TYPES.config, Buffer.from(JSON.stringify(configObject({ ...spec, architecture }, diffId))));
    const manifest = blob(
        MEDIA_TYPES.manifest,
        Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MEDIA_TYPES.manifest, config: descriptor(config), layers: [descriptor(layer)] })),
    );
    const index = Buffer.from(
        JSON.stringify({
            schemaVersion: 2,
            mediaType: MEDIA_TYPES.index,
            manifests: [
                {
                    ...descriptor(manifest),
                    platform: { architecture, os: "linux" },
                    annotations: { [CONTAINERD_IMAGE_NAME]: reference, [OCI_REF_NAME]: spec.tag },
                },
            ],
        }),
    );
    return { reference, layer, diffId, config, manifest, index };
}

/** The OCI image layout of a built image as tar entries, sorted by path. */
function layoutEntries(image: BuiltImage): TarEntry[] {
    const owner = { uid: 0, gid: 0 };
    const blobs = [image.config, image.layer, image.manifest]
        .map((b) => ({ type: "file" as const, name: `blobs/sha256/${b.digest.slice("sha256:".length)}`, mode: 0o644, content: b.data, ...owner }))
        .sort((a, b) => (a.name < b.name ? -1 : 1));
    return [
        { type: "dir", name: "blobs/", mode: 0o755, ...owner },
        { type: "dir", name: "blobs/sha256/", mode: 0o755, ...owner },
        ...blobs,
        { type: "file", name: "index.json", mode: 0o644, content: image.index, ...owner },
        { type: "file", name: "oci-layout", mode: 0o644, content: Buffer.from(JSON.stringify({ imageLayoutVersion: "1.0.0" })), ...owner },
    ];
}

/** The OCI layout archive of a built image, in memory. */
export function ociArchive(image: BuiltImage): Buffer {
    return Buffer.concat([...layoutEntries(image).flatMap(tarEntryBlocks), TAR_END]);
}

export interface WrittenImage {
    readonly reference: string;
    readonly file: string;
    /** Archive size in bytes. */
    readonly size: number;
    readonly manifestDigest: string;
    /** Compressed layer size in bytes. */
    readonly layerSize: number;
}

/** Builds the image and writes its OCI layout archive to `file` (via a temporary file and rename, so a reader never sees half an archive). */
export function writeOciArchive(spec: ImageSpec, file: string): WrittenImage {
    const image = buildImage(spec);
    const tmp = `${file}.partial`;
    const fd = openSync(tmp, "w", 0o644);
    let size = 0;
    try {
        for (const block of [...layoutEntries(image).flatMap(tarEntryBlocks), TAR_END]) {
            let off = 0;
            while (off < block.length) off += writeSync(fd, block, off, block.length - off);
            size += block.length;
        }
        fsyncSync(fd);
    } finally {
        closeSync(fd);
    }
    renameSync(tmp, file);
    return { reference: image.reference, file, size, manifestDigest: image.manifest.digest, layerSize: image.layer.data.length };
}

/**
 * A digest of everything an archive is made from (each entry's path, kind, mode, owner, link
 * target and content hash, the config, the name and tag), cheap next to building the layer:
 * the same digest means the same archive, so a builder may skip the work.
 */
export function imageInputDigest(spec: ImageSpec): string {
    const h = createHash("sha256");
    h.update(JSON.stringify({ reference: normalizedReference(spec.name, spec.tag), architecture: spec.architecture ?? hostArchitecture(), createdBy: spec.createdBy ?? null }));
    h.update(JSON.stringify(configObject(spec, "")));
    for (const n of entriesOf(spec.rootfs)) {
        const e = n.entry;
        const content = e.kind === "file" ? createHash("sha256").update(fileContent(e)).digest("hex") : null;
        h.update(JSON.stringify([n.key, e.kind, n.mode, n.uid, n.gid, e.kind === "symlink" ? e.target : null, content]));
        h.update("\n");
    }
    return `sha256:${h.digest("hex")}`;
}
