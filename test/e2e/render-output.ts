/** Reading a `qctl render` output directory back, for the render suites. */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** Every file under `dir`, as paths relative to it, sorted. */
export function filesUnder(dir: string, rel = ""): string[] {
    return readdirSync(join(dir, rel), { withFileTypes: true })
        .flatMap((d) => (d.isDirectory() ? filesUnder(dir, join(rel, d.name)) : [join(rel, d.name)]))
        .sort();
}

/** Fails unless the two renders hold the same files, byte for byte. */
export function assertSameRender(actual: string, expected: string): void {
    const files = filesUnder(expected);
    assert.deepEqual(filesUnder(actual), files);
    for (const f of files) assert.equal(readFileSync(join(actual, f), "utf8"), readFileSync(join(expected, f), "utf8"), f);
}
