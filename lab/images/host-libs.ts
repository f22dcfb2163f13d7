/**
 * Native binaries in images that have no distribution inside them.
 *
 * Most lab images hold only static binaries (busybox-static, geth linked with -static, kubectl
 * and pause); one that is accidentally dynamic fails at runtime with a bare "no such file or
 * directory" (its ELF interpreter is missing), so each one is checked here first. The JRE is
 * dynamic: the shared libraries it needs are found with ldd (what the dynamic loader itself
 * resolves, including the loader) and copied from the host to the paths ldd reports, which
 * are on the loader's built-in search path, so the image needs no ld.so.cache.
 */
import { execFileSync } from "node:child_process";
import { closeSync, existsSync, openSync, readSync, readdirSync, realpathSync } from "node:fs";
import { basename, join } from "node:path";

function read(fd: number, length: number, position: number): Buffer {
    const buf = Buffer.alloc(length);
    const n = readSync(fd, buf, 0, length, position);
    return buf.subarray(0, n);
}

/** Whether a file starts with the ELF magic. */
export function isElf(path: string): boolean {
    const fd = openSync(path, "r");
    try {
        return read(fd, 4, 0).equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46]));
    } finally {
        closeSync(fd);
    }
}

/** The ELF interpreter (PT_INTERP) of a 64-bit little-endian ELF file, or undefined if it has none (static). */
export function elfInterpreter(path: string): string | undefined {
    const fd = openSync(path, "r");
    try {
        const h = read(fd, 64, 0);
        if (h.length < 64 || !h.subarray(0, 4).equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46]))) throw new Error(`${path} is not an ELF file`);
        if (h[4] !== 2 || h[5] !== 1) throw new Error(`${path}: only 64-bit little-endian ELF is supported`);
        const phoff = Number(h.readBigUInt64LE(0x20));
        const phentsize = h.readUInt16LE(0x36);
        const phnum = h.readUInt16LE(0x38);
        const table = read(fd, phentsize * phnum, phoff);
        for (let i = 0; i < phnum; i++) {
            const ph = table.subarray(i * phentsize, (i + 1) * phentsize);
            if (ph.readUInt32LE(0) !== 3 /* PT_INTERP */) continue;
            const offset = Number(ph.readBigUInt64LE(0x08));
            const size = Number(ph.readBigUInt64LE(0x20));
            return read(fd, size, offset).toString("latin1").replace(/\0+$/, "");
        }
        return undefined;
    } finally {
        closeSync(fd);
    }
}

/** Throws unless `path` is a static ELF executable (images without libc can run nothing else). */
export function assertStatic(path: string, what: string): void {
    const interp = elfInterpreter(path);
    if (interp !== undefined) throw new Error(`${what} (${path}) is dynamically linked (interpreter ${interp}); the image has no libc for it`);
}

/** The ELF files under a directory (recursively, symlinks not followed). */
export function elfFilesUnder(dir: string): string[] {
    const out: string[] = [];
    for (const d of readdirSync(dir, { withFileTypes: true })) {
        const p = join(dir, d.name);
        if (d.isDirectory()) out.push(...elfFilesUnder(p));
        else if (d.isFile() && isElf(p)) out.push(p);
    }
    return out.sort();
}

export interface HostLibrary {
    /** Where the loader looks for it, and so where the image gets it, e.g. /lib/x86_64-linux-gnu/libc.so.6. */
    readonly imagePath: string;
    /** The real host file (symlinks resolved), copied as a regular file. */
    readonly hostPath: string;
}

/**
 * The host shared libraries (and dynamic loader) that the given ELF files need, by ldd, except
 * the ones inside `ownTree` itself (the JRE's libjli.so, libjvm.so, ...). A library ldd cannot
 * find is an error unless a file of that name is part of `ownTree`: the JRE's libraries link
 * libjvm.so without a search path because the launcher has already loaded it.
 */
export function hostLibrariesFor(elfFiles: readonly string[], ownTree: string): HostLibrary[] {
    const own = new Set(elfFiles.map((f) => basename(f)));
    const found = new Map<string, string>();
    const missing = new Set<string>();
    for (const file of elfFiles) {
        let out: string;
        try {
            out = execFileSync("ldd", [file], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
        } catch {
            continue; // "not a dynamic executable": nothing to copy
        }
        for (const line of out.split("\n")) {
            const notFound = /^\s*(\S+) => not found$/.exec(line);
            const arrow = /^\s*(\S+) => (\/\S+) \(0x[0-9a-f]+\)$/.exec(line);
            const loader = /^\s*(\/\S+) \(0x[0-9a-f]+\)$/.exec(line);
            if (notFound) {
                if (!own.has(notFound[1])) missing.add(`${notFound[1]} (needed by ${file})`);
            } else if (arrow) {
                if (!arrow[2].startsWith(`${ownTree}/`)) found.set(arrow[2], realpathSync(arrow[2]));
            } else if (loader) {
                found.set(loader[1], realpathSync(loader[1]));
            }
        }
    }
    if (missing.size > 0) throw new Error(`shared libraries not found on this host: ${[...missing].join(", ")}`);
    for (const host of found.values()) if (!existsSync(host)) throw new Error(`ldd reported ${host}, which does not exist`);
    return [...found.entries()].map(([imagePath, hostPath]) => ({ imagePath, hostPath })).sort((a, b) => (a.imagePath < b.imagePath ? -1 : 1));
}
