import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";

const CORE = resolve(__dirname, "..", "..", "core");

function files(dir: string): string[] {
    return readdirSync(dir).flatMap((f) => {
        const p = join(dir, f);
        return statSync(p).isDirectory() ? files(p) : p.endsWith(".ts") ? [p] : [];
    });
}

describe("core/ purity", () => {
    const sources = files(CORE);
    it("has modules to check", () => assert.ok(sources.length > 10));
    for (const file of sources) {
        it(`${relative(CORE, file)} loads no Pulumi code at runtime (type-only imports at most)`, () => {
            const text = readFileSync(file, "utf8");
            const runtimeImports = text.split("\n").filter((l) => /from\s+["']@pulumi\//.test(l) && !/^\s*import\s+type\b/.test(l));
            assert.deepEqual(runtimeImports, []);
            assert.ok(!/require\(["']@pulumi\//.test(text));
        });
    }
});
