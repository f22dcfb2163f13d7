/**
 * Writes a render into its directory all at once: into a new sibling directory first, then
 * swapped in, so a failed render leaves the previous one (or nothing) and never a mix. A render
 * holding key material is owner-only throughout (files 0600, directories 0700).
 */
import { chmodSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { QstackError } from "../../core/errors";
import type { RenderedFile } from "../../core/render/manifests";

export interface WriteOptions {
    /** Replace a directory that already holds files (its whole content). */
    readonly force: boolean;
}

/** Refuses a directory that holds anything, unless `force`. @throws QstackError INVALID_ARGUMENT */
export function checkOutputDirectory(dir: string, { force }: WriteOptions): void {
    if (!existsSync(dir) || force) return;
    const entries = readdirSync(dir);
    if (entries.length > 0) {
        throw new QstackError("INVALID_ARGUMENT", [
            { key: "-o", reason: `directory already holds ${entries.length} entr${entries.length === 1 ? "y" : "ies"} (e.g. ${entries.sort()[0]})`, value: dir, allowed: "a new or empty directory, or --force to replace what it holds" },
        ]);
    }
}

export function writeRender(dir: string, files: readonly RenderedFile[], options: WriteOptions): void {
    checkOutputDirectory(dir, options);
    const secret = files.some((f) => f.secret);
    const dirMode = secret ? 0o700 : 0o755;
    const staging = join(dirname(dir), `.${basename(dir)}.render-${process.pid}`);
    rmSync(staging, { recursive: true, force: true });
    try {
        mkdirSync(staging, { recursive: true, mode: dirMode });
        chmodSync(staging, dirMode);
        for (const f of files) {
            const path = join(staging, ...f.path.split("/"));
            mkdirSync(dirname(path), { recursive: true, mode: dirMode });
            writeFileSync(path, f.content, { mode: secret ? 0o600 : 0o644 });
        }
        const previous = existsSync(dir) ? `${staging}.previous` : undefined;
        if (previous) renameSync(dir, previous);
        renameSync(staging, dir);
        if (previous) rmSync(previous, { recursive: true, force: true });
    } finally {
        rmSync(staging, { recursive: true, force: true });
    }
}
