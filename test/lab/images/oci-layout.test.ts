import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import {
    buildImage,
    CONTAINERD_IMAGE_NAME,
    ImageSpec,
    imageInputDigest,
    MEDIA_TYPES,
    normalizedReference,
    OCI_REF_NAME,
    ociArchive,
    RootfsEntry,
    rootfsFromDirectory,
    writeOciArchive,
} from "../../../lab/images/oci-layout";

/** A tar entry as an independent reader sees it (ustar fields, PAX path/linkpath applied). */
interface ReadEntry {
    name: string;
    type: string;
    mode: number;
    uid: number;
    gid: number;
    mtime: number;
    linkname: string;
    content: Buffer;
}

/** A minimal tar reader written against the POSIX spec, not against lab/images/tar.ts. */
function readTar(buf: Buffer): ReadEntry[] {
    const out: ReadEntry[] = [];
    const str = (h: Buffer, off: number, len: number) => h.subarray(off, off + len).toString("utf8").replace(/\0.*$/s, "");
    const num = (h: Buffer, off: number, len: number) => parseInt(str(h, off, len).trim() || "0", 8);
    let pax: Record<string, string> = {};
    for (let off = 0; off + 512 <= buf.length; ) {
        const h = buf.subarray(off, off + 512);
        if (h.every((b) => b === 0)) break;
        let sum = 0;
        for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 0x20 : h[i];
        assert.equal(num(h, 148, 8), sum, `header checksum at offset ${off}`);
        assert.equal(h.subarray(257, 263).toString("latin1"), "ustar\0");
        const size = num(h, 124, 12);
        const content = buf.subarray(off + 512, off + 512 + size);
        off += 512 + Math.ceil(size / 512) * 512;
        const type = String.fromCharCode(h[156]);
        if (type === "x") {
            pax = {};
            for (let rest = content.toString("utf8"); rest.length > 0; ) {
                const len = parseInt(rest, 10);
                const record = Buffer.from(rest).subarray(0, len).toString("utf8");
                const [, key, value] = /^\d+ ([^=]+)=(.*)\n$/s.exec(record) ?? [];
                pax[key] = value;
                rest = Buffer.from(rest).subarray(len).toString("utf8");
            }
            continue;
        }
        const prefix = str(h, 345, 155);
        out.push({
            name: pax.path ?? (prefix ? `${prefix}/${str(h, 0, 100)}` : str(h, 0, 100)),
            type,
            mode: num(h, 100, 8),
            uid: num(h, 108, 8),
            gid: num(h, 116, 8),
            mtime: num(h, 136, 12),
            linkname: pax.linkpath ?? str(h, 157, 100),
            content: Buffer.from(content),
        });
        pax = {};
    }
    return out;
}

const sha256 = (b: Buffer) => `sha256:${createHash("sha256").update(b).digest("hex")}`;

/** The layout's files by path, and the image's JSON documents and layer entries, followed from index.json. */
function open(archive: Buffer) {
    const files = new Map(readTar(archive).filter((e) => e.type === "0").map((e) => [e.name, e.content]));
    const blob = (digest: string) => {
        const b = files.get(`blobs/sha256/${digest.replace(/^sha256:/, "")}`);
        assert.ok(b, `blob ${digest} is in the archive`);
        return b;
    };
    const index = JSON.parse(files.get("index.json")!.toString());
    const manifestDesc = index.manifests[0];
    const manifest = JSON.parse(blob(manifestDesc.digest).toString());
    const config = JSON.parse(blob(manifest.config.digest).toString());
    const layerGz = blob(manifest.layers[0].digest);
    const layerTar = gunzipSync(layerGz);
    return { files, blob, index, manifestDesc, manifest, config, layerGz, layerTar, layer: readTar(layerTar) };
}

const LONG_DIR = `/opt/${"a-rather-long-directory-name/".repeat(4)}`;
const LONG_PATH = `${LONG_DIR}and-a-file-whose-full-path-is-well-over-one-hundred-bytes.txt`;

function sampleRootfs(): RootfsEntry[] {
    return [
        { kind: "dir", path: "/tmp", mode: 0o1777 },
        { kind: "file", path: "/etc/passwd", content: "root:x:0:0:root:/root:/bin/sh\nqstack:x:1000:1000:qstack:/tmp:/bin/sh\n" },
        { kind: "file", path: "/usr/local/bin/tool", content: Buffer.from([0x7f, 0x45, 0x4c, 0x46, 1, 2, 3]), mode: 0o755 },
        { kind: "file", path: "/home/app/secret", content: "s3cret", mode: 0o440, uid: 1000, gid: 1000 },
        { kind: "dir", path: "/home/app", mode: 0o2770, uid: 1000, gid: 1000 },
        { kind: "symlink", path: "/bin/sh", target: "busybox" },
        { kind: "file", path: "/bin/busybox", content: "not really busybox", mode: 0o755 },
        { kind: "file", path: LONG_PATH, content: "deep" },
        { kind: "symlink", path: "/opt/long-link", target: LONG_PATH },
    ];
}

function sampleSpec(rootfs: readonly RootfsEntry[] | string = sampleRootfs()): ImageSpec {
    return {
        name: "qstack-lab/sample",
        tag: "1.2.3",
        architecture: "amd64",
        rootfs,
        config: {
            entrypoint: ["/usr/local/bin/tool"],
            cmd: ["--help"],
            env: ["PATH=/usr/local/bin:/bin"],
            user: "1000:1000",
            workingDir: "/tmp",
            labels: { "org.opencontainers.image.version": "1.2.3", "a.first": "x" },
        },
    };
}

describe("lab/images/oci-layout", () => {
    describe("the archive's content-addressed chain", () => {
        const a = open(ociArchive(buildImage(sampleSpec())));

        it("holds oci-layout version 1.0.0 and an index of one manifest", () => {
            assert.deepEqual(JSON.parse(a.files.get("oci-layout")!.toString()), { imageLayoutVersion: "1.0.0" });
            assert.equal(a.index.schemaVersion, 2);
            assert.equal(a.index.mediaType, MEDIA_TYPES.index);
            assert.equal(a.index.manifests.length, 1);
        });

        it("index.json → manifest → config → layer: every descriptor's digest and size match the blob it names", () => {
            for (const desc of [a.manifestDesc, a.manifest.config, ...a.manifest.layers]) {
                const b = a.blob(desc.digest);
                assert.equal(sha256(b), desc.digest);
                assert.equal(b.length, desc.size);
            }
            assert.equal(a.manifestDesc.mediaType, MEDIA_TYPES.manifest);
            assert.equal(a.manifest.config.mediaType, MEDIA_TYPES.config);
            assert.equal(a.manifest.layers[0].mediaType, MEDIA_TYPES.layer);
        });

        it("holds no blob that the chain does not reach", () => {
            const reached = [a.manifestDesc, a.manifest.config, ...a.manifest.layers].map((d) => `blobs/sha256/${d.digest.slice(7)}`).sort();
            assert.deepEqual([...a.files.keys()].filter((f) => f.startsWith("blobs/")).sort(), reached);
        });

        it("config rootfs.diff_ids is the sha256 of the uncompressed layer", () => {
            assert.deepEqual(a.config.rootfs, { type: "layers", diff_ids: [sha256(a.layerTar)] });
        });

        it("config names os linux and architecture amd64 (ctr import drops images that leave them empty), and so does the index entry", () => {
            assert.equal(a.config.os, "linux");
            assert.equal(a.config.architecture, "amd64");
            assert.deepEqual(a.manifestDesc.platform, { architecture: "amd64", os: "linux" });
        });

        it("config carries Entrypoint, Cmd, Env, User, WorkingDir and sorted Labels", () => {
            assert.deepEqual(a.config.config, {
                User: "1000:1000",
                Env: ["PATH=/usr/local/bin:/bin"],
                Entrypoint: ["/usr/local/bin/tool"],
                Cmd: ["--help"],
                WorkingDir: "/tmp",
                Labels: { "a.first": "x", "org.opencontainers.image.version": "1.2.3" },
            });
            assert.deepEqual(Object.keys(a.config.config.Labels), ["a.first", "org.opencontainers.image.version"]);
        });

        it("index annotates the normalised name:tag for containerd and the bare tag as the OCI ref name", () => {
            assert.deepEqual(a.manifestDesc.annotations, { [CONTAINERD_IMAGE_NAME]: "docker.io/qstack-lab/sample:1.2.3", [OCI_REF_NAME]: "1.2.3" });
        });
    });

    describe("determinism", () => {
        it("the same input gives a byte-identical archive, whatever the order of the description", () => {
            const first = ociArchive(buildImage(sampleSpec()));
            assert.ok(first.equals(ociArchive(buildImage(sampleSpec()))));
            assert.ok(first.equals(ociArchive(buildImage(sampleSpec([...sampleRootfs()].reverse())))));
        });

        it("a one-byte change of content changes the layer, the config and the manifest digests", () => {
            const base = buildImage(sampleSpec());
            const changed = buildImage(sampleSpec(sampleRootfs().map((e) => (e.path === "/etc/passwd" ? { ...e, content: "root:x:0:0:root:/root:/bin/ash\n" } : e))));
            assert.notEqual(base.diffId, changed.diffId);
            assert.notEqual(base.config.digest, changed.config.digest);
            assert.notEqual(base.manifest.digest, changed.manifest.digest);
        });

        it("every entry has mtime 0 and entries are sorted by path, each directory before its contents", () => {
            const layer = open(ociArchive(buildImage(sampleSpec()))).layer;
            assert.ok(layer.every((e) => e.mtime === 0));
            const names = layer.map((e) => e.name.replace(/\/$/, ""));
            assert.deepEqual(names, [...names].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y))));
            for (const [i, n] of names.entries()) {
                const parent = n.split("/").slice(0, -1).join("/");
                if (parent) assert.ok(names.indexOf(parent) < i, `${parent} precedes ${n}`);
            }
        });

        it("imageInputDigest follows content, mode and owner, and not the order of the description", () => {
            const d = imageInputDigest(sampleSpec());
            assert.equal(imageInputDigest(sampleSpec([...sampleRootfs()].reverse())), d);
            const tweak = (f: (e: RootfsEntry) => RootfsEntry) => imageInputDigest(sampleSpec(sampleRootfs().map(f)));
            assert.notEqual(tweak((e) => (e.path === "/bin/busybox" ? { ...e, mode: 0o700 } : e)), d);
            assert.notEqual(tweak((e) => (e.path === "/bin/busybox" ? { ...e, uid: 1 } : e)), d);
            assert.notEqual(tweak((e) => (e.path === "/bin/busybox" ? { ...e, content: "other" } : e)), d);
        });

        it("writeOciArchive writes exactly the bytes ociArchive builds", () => {
            const dir = mkdtempSync(join(tmpdir(), "qstack-oci-"));
            try {
                const file = join(dir, "sample.oci.tar");
                const written = writeOciArchive(sampleSpec(), file);
                const bytes = readFileSync(file);
                assert.ok(bytes.equals(ociArchive(buildImage(sampleSpec()))));
                assert.equal(written.size, bytes.length);
                assert.equal(written.reference, "docker.io/qstack-lab/sample:1.2.3");
            } finally {
                rmSync(dir, { recursive: true, force: true });
            }
        });
    });

    describe("the layer's files", () => {
        const layer = open(ociArchive(buildImage(sampleSpec()))).layer;
        const entry = (name: string) => {
            const e = layer.find((x) => x.name === name);
            assert.ok(e, `${name} is in the layer`);
            return e;
        };

        it("file modes, uids and gids survive, including sticky and setgid bits", () => {
            assert.deepEqual([entry("tmp/").type, entry("tmp/").mode], ["5", 0o1777]);
            assert.deepEqual([entry("usr/local/bin/tool").mode, entry("usr/local/bin/tool").uid], [0o755, 0]);
            const secret = entry("home/app/secret");
            assert.deepEqual([secret.mode, secret.uid, secret.gid, secret.content.toString()], [0o440, 1000, 1000, "s3cret"]);
            assert.deepEqual([entry("home/app/").mode, entry("home/app/").uid], [0o2770, 1000]);
            assert.equal(entry("etc/passwd").mode, 0o644);
        });

        it("symlinks keep their target", () => {
            assert.deepEqual([entry("bin/sh").type, entry("bin/sh").linkname], ["2", "busybox"]);
        });

        it("parents missing from the description become root-owned 0755 directories", () => {
            for (const d of ["usr/", "usr/local/", "usr/local/bin/", "home/", "opt/"]) assert.deepEqual([entry(d).type, entry(d).mode, entry(d).uid], ["5", 0o755, 0]);
        });

        it("paths and link targets over 100 bytes round-trip through PAX headers", () => {
            const name = LONG_PATH.slice(1);
            assert.ok(Buffer.byteLength(name) > 100);
            assert.equal(entry(name).content.toString(), "deep");
            assert.equal(entry("opt/long-link").linkname, LONG_PATH);
        });

        it("GNU tar reads the layer the same way: names, long paths, modes and numeric owners", () => {
            const listing = execFileSync("tar", ["-tvz", "--numeric-owner", "-f", "-"], { input: open(ociArchive(buildImage(sampleSpec()))).layerGz, encoding: "utf8" });
            assert.match(listing, /^drwxrwxrwt 0\/0 +0 1970-01-01 00:00 tmp\/$/m);
            assert.match(listing, /^-r--r----- 1000\/1000 +6 1970-01-01 00:00 home\/app\/secret$/m);
            assert.match(listing, /^lrwxrwxrwx 0\/0 +0 1970-01-01 00:00 bin\/sh -> busybox$/m);
            assert.ok(listing.includes(` ${LONG_PATH.slice(1)}\n`), "long path listed in full");
            assert.ok(listing.includes(`opt/long-link -> ${LONG_PATH}\n`), "long link target listed in full");
        });
    });

    describe("descriptions it refuses", () => {
        const refuses = (rootfs: RootfsEntry[], message: RegExp) => assert.throws(() => buildImage(sampleSpec(rootfs)), message);

        it("a path described twice", () => refuses([{ kind: "dir", path: "/etc" }, { kind: "dir", path: "etc/" }], /described twice/));
        it("a path that climbs out with ..", () => refuses([{ kind: "file", path: "/../etc/passwd", content: "" }], /invalid path/));
        it("a file with neither or both of content and source", () => refuses([{ kind: "file", path: "/x" }], /exactly one of content or source/));
        it("an entry inside something that is not a directory", () =>
            refuses([{ kind: "file", path: "/bin", content: "" }, { kind: "file", path: "/bin/sh", content: "" }], /is a file but \/bin\/sh is inside it/));
        it("the tag latest, which would make kubelet pull", () => assert.throws(() => buildImage({ ...sampleSpec(), tag: "latest" }), /latest/));
    });

    describe("normalizedReference", () => {
        it("adds docker.io to a two-part name, docker.io/library to a one-part name, and leaves a domain alone", () => {
            assert.equal(normalizedReference("qstack-lab/quorum", "24.4.1"), "docker.io/qstack-lab/quorum:24.4.1");
            assert.equal(normalizedReference("busybox", "1.35"), "docker.io/library/busybox:1.35");
            assert.equal(normalizedReference("registry.k8s.io/pause", "3.10"), "registry.k8s.io/pause:3.10");
            assert.equal(normalizedReference("localhost:5000/x", "v1"), "localhost:5000/x:v1");
        });
        it("rejects upper-case repositories and malformed tags", () => {
            assert.throws(() => normalizedReference("Qstack/x", "1"), /not a valid image repository/);
            assert.throws(() => normalizedReference("qstack/x", "-1"), /not a valid image tag/);
        });
    });

    describe("rootfsFromDirectory", () => {
        it("takes a host directory's files, modes and symlinks at the given path, owned as told rather than as on the host", () => {
            const dir = mkdtempSync(join(tmpdir(), "qstack-rootfs-"));
            try {
                mkdirSync(join(dir, "bin"));
                writeFileSync(join(dir, "bin", "run"), "#!/bin/sh\n");
                chmodSync(join(dir, "bin", "run"), 0o750);
                symlinkSync("run", join(dir, "bin", "start"));
                const layer = open(ociArchive(buildImage(sampleSpec(rootfsFromDirectory(dir, "/app", { uid: 1000, gid: 1000 }))))).layer;
                const run = layer.find((e) => e.name === "app/bin/run")!;
                assert.deepEqual([run.mode, run.uid, run.gid, run.content.toString()], [0o750, 1000, 1000, "#!/bin/sh\n"]);
                assert.deepEqual(layer.find((e) => e.name === "app/bin/start")?.linkname, "run");
                assert.deepEqual(layer.find((e) => e.name === "app/")?.uid, 0, "the mount point itself is an implied root-owned parent");
                // A directory given as the whole rootfs is the image root.
                assert.ok(open(ociArchive(buildImage(sampleSpec(dir)))).layer.some((e) => e.name === "bin/run"));
            } finally {
                rmSync(dir, { recursive: true, force: true });
            }
        });
    });
});
