/**
 * What an image recipe is and what it is given. A recipe turns the lab's toolchain builds
 * (lab/toolchain/ensure.sh) into an ImageSpec; it derives the tag from what it packages
 * (the binary's own version output, the jar's manifest, the source's Makefile), so a tag can
 * never claim a version the image does not hold. The repository is always qstack-lab/...: these
 * are the lab's builds, not the upstream projects' images.
 */
import { execFileSync } from "node:child_process";
import { resolve } from "node:path";
import type { ImageSpec } from "./oci-layout";

export type Log = (line: string) => void;

export interface RecipeContext {
    readonly log: Log;
    /** Scratch and step caches (jdeps results, JREs, compiled pause), under the image cache. */
    readonly workDir: string;
    /** Debian busybox-static's binary and package version. */
    readonly busybox: { readonly binary: string; readonly version: string };
    /** The bin directory of a lab toolchain tool (built first if needed). */
    toolBin(tool: string): string;
}

export interface Recipe {
    /** Short id, also the archive's file name stem. */
    readonly id: string;
    build(ctx: RecipeContext): ImageSpec;
}

const ENSURE = resolve(__dirname, "..", "toolchain", "ensure.sh");

/**
 * The bin directory ensure.sh prints for one tool. QSTACK_TOOLS_FROM_PATH is cleared: an image
 * must hold the lab's pinned build, not whatever binary of that name happens to be on PATH.
 */
export function toolchainBinDir(tool: string): string {
    const out = execFileSync(ENSURE, [tool], {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "inherit"],
        env: { ...process.env, QSTACK_TOOLS_FROM_PATH: "" },
    });
    const dirs = out.split("\n").filter(Boolean);
    if (dirs.length !== 1) throw new Error(`ensure.sh ${tool} printed ${dirs.length} bin dirs, expected 1: ${out}`);
    return dirs[0];
}

/** Labels that say whose image this is and what is in it. */
export function labLabels(title: string, version: string, description: string): Record<string, string> {
    return {
        "org.opencontainers.image.title": title,
        "org.opencontainers.image.version": version,
        "org.opencontainers.image.description": description,
        "org.opencontainers.image.vendor": "qstack lab (built locally by lab/images; not an upstream image)",
    };
}
