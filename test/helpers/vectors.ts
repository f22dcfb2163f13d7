/**
 * Access to the public GoQuorum test vectors in ../shared/vectors (copied verbatim from
 * Consensys/quorum-examples). Tests compare against these, never against qstack's own output.
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";

const ROOT = process.env.QSTACK_VECTORS_DIR ?? resolve(__dirname, "..", "..", "..", "shared", "vectors", "quorum-examples-7nodes");

/** Text of a vector file, e.g. `raft/nodekey1`. */
export function vectorFile(relative: string): string {
    return readFileSync(join(ROOT, relative), "utf8");
}

export function vectorJson<T = unknown>(relative: string): T {
    return JSON.parse(vectorFile(relative)) as T;
}

/** The seven quorum-examples nodekeys (trimmed), node1 first. */
export function nodeKeys(): string[] {
    return [1, 2, 3, 4, 5, 6, 7].map((i) => vectorFile(`raft/nodekey${i}`).trim());
}

/** `<N>node:"0x…"` lines of an extradata.txt file, as a map N → hex. */
export function extraDataLines(relative: string): Map<number, string> {
    const out = new Map<number, string>();
    for (const line of vectorFile(relative).split("\n")) {
        const m = /^(\d+)node:"(0x[0-9a-f]+)"/.exec(line.trim());
        if (m) out.set(Number(m[1]), m[2]);
    }
    return out;
}
