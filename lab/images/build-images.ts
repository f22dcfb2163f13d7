/**
 * `npm run lab:images [id ...]`: builds the lab's container images as OCI layout archives for
 * `ctr -n k8s.io images import`, into $QSTACK_CACHE/images (default ~/.cache/qstack/images),
 * and prints one archive path per line on stdout; progress goes to stderr.
 *
 * An image is rebuilt only when its inputs change: the digest of its full description (every
 * file's path, mode, owner and content hash, the config, name and tag; ./oci-layout.ts
 * imageInputDigest) plus the source of the archive writer is stored beside the archive, and an
 * archive whose stored digest matches is left as it is. Steps that are slow on their own
 * (jdeps, jlink) keep their own caches under images/work.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { ensureBusyboxStatic } from "./busybox";
import { kubectlRecipe } from "./kubectl-image";
import { imageInputDigest, normalizedReference, writeOciArchive } from "./oci-layout";
import { pauseRecipe } from "./pause-image";
import { prometheusRecipe } from "./prometheus-image";
import { quorumRecipe } from "./quorum-image";
import { Recipe, RecipeContext, toolchainBinDir } from "./recipe";
import { tesseraRecipe } from "./tessera-image";

export const RECIPES: readonly Recipe[] = [quorumRecipe, tesseraRecipe, kubectlRecipe, pauseRecipe, prometheusRecipe];

const CACHE = process.env.QSTACK_CACHE ?? join(homedir(), ".cache", "qstack");
const OUT_DIR = join(CACHE, "images");
/** The archive format is part of every image's inputs: a change to the writer rebuilds all. */
const WRITER_SOURCES = ["oci-layout.ts", "tar.ts"].map((f) => join(__dirname, f));

const log = (line: string) => process.stderr.write(`[images] ${line}\n`);
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

function main(ids: readonly string[]): void {
    const unknown = ids.filter((id) => !RECIPES.some((r) => r.id === id));
    if (unknown.length > 0) throw new Error(`unknown image ${unknown.join(", ")}; known: ${RECIPES.map((r) => r.id).join(", ")}`);
    const recipes = ids.length > 0 ? RECIPES.filter((r) => ids.includes(r.id)) : RECIPES;
    const workDir = join(OUT_DIR, "work");
    mkdirSync(workDir, { recursive: true });
    const toolDirs = new Map<string, string>();
    const ctx: RecipeContext = {
        log,
        workDir,
        busybox: ensureBusyboxStatic(log),
        toolBin(tool) {
            if (!toolDirs.has(tool)) toolDirs.set(tool, toolchainBinDir(tool));
            return toolDirs.get(tool) as string;
        },
    };
    const writer = createHash("sha256");
    for (const f of WRITER_SOURCES) writer.update(readFileSync(f));
    const writerDigest = writer.digest("hex");

    for (const recipe of recipes) {
        const start = Date.now();
        const spec = recipe.build(ctx);
        const reference = normalizedReference(spec.name, spec.tag);
        const file = join(OUT_DIR, `${recipe.id}-${spec.tag}.oci.tar`);
        const stamp = `${file}.inputs`;
        const inputs = createHash("sha256").update(`${imageInputDigest(spec)}\n${writerDigest}\n`).digest("hex");
        if (existsSync(file) && existsSync(stamp) && readFileSync(stamp, "utf8").trim() === inputs) {
            log(`${reference}: unchanged (${file})`);
        } else {
            log(`${reference}: writing ${file}`);
            const written = writeOciArchive(spec, file);
            writeFileSync(stamp, `${inputs}\n`);
            log(`${reference}: ${mib(written.size)} archive, ${mib(written.layerSize)} layer, manifest ${written.manifestDigest}, ${Math.round((Date.now() - start) / 1000)} s`);
        }
        process.stdout.write(`${file}\n`);
    }
}

try {
    main(process.argv.slice(2));
} catch (e) {
    log(`FAILED: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 1;
}
