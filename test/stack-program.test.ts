/**
 * stack-program.js, the stack program Pulumi runs: it runs index.ts as compiled into dist/, and
 * refuses a build older than its sources, naming them, instead of running stale code.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const REPO = join(__dirname, "..");

/** A checkout in miniature: stack-program.js, sources and compiled modules, each with its modification time (seconds). */
function checkout(sources: Record<string, number>, compiled: Record<string, number>, errorsModule = false): string {
    const root = mkdtempSync(join(tmpdir(), "qstack-program-"));
    cpSync(join(REPO, "stack-program.js"), join(root, "stack-program.js"));
    const write = (path: string, text: string, at: number) => {
        mkdirSync(join(root, path, ".."), { recursive: true });
        writeFileSync(join(root, path), text);
        utimesSync(join(root, path), at, at);
    };
    for (const [path, at] of Object.entries(sources)) write(path, "// source\n", at);
    for (const [path, at] of Object.entries(compiled)) write(path, path === "dist/index.js" ? "module.exports = async () => ({ ran: true });\n" : "\"use strict\";\n", at);
    if (errorsModule) cpSync(join(REPO, "dist", "core", "errors.js"), join(root, "dist", "core", "errors.js"));
    return root;
}

/** Loads stack-program.js as Pulumi's runner does (require), in a fresh node, and runs the program it exports. */
function load(root: string) {
    return spawnSync(process.execPath, ["-e", `require(${JSON.stringify(join(root, "stack-program.js"))})().then((o) => console.log(JSON.stringify(o)))`], { encoding: "utf8" });
}

describe("stack-program.js (the compiled stack program)", () => {
    const roots: string[] = [];
    after(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

    it("runs dist/index.js when every compiled module is at least as new as its source", () => {
        const root = checkout({ "index.ts": 100, "core/a.ts": 100 }, { "dist/index.js": 200, "dist/core/a.js": 200 });
        roots.push(root);
        const run = load(root);
        assert.equal(run.status, 0, run.stderr);
        assert.deepEqual(JSON.parse(run.stdout), { ran: true });
    });

    it("refuses a build older than a source, naming each changed source and the command that rebuilds", () => {
        const root = checkout({ "index.ts": 100, "core/a.ts": 300, "components/b.ts": 301, "core/c.ts": 100 }, { "dist/index.js": 200, "dist/core/a.js": 200, "dist/components/b.js": 200, "dist/core/c.js": 200 }, true);
        roots.push(root);
        const run = load(root);
        assert.notEqual(run.status, 0);
        assert.match(run.stderr, /QstackError: the compiled stack program is out of date \(2 sources\):/);
        assert.match(run.stderr, /- components\/b\.ts: changed after the compiled program in dist\/ was built; allowed: run `npm run build:package` \(npm ci does too\), then run Pulumi again/);
        assert.match(run.stderr, /- core\/a\.ts: changed after/);
        assert.doesNotMatch(run.stderr, /core\/c\.ts/);
    });

    it("refuses a checkout that was never built, with the same remedy", () => {
        const root = checkout({ "index.ts": 100 }, {});
        roots.push(root);
        const run = load(root);
        assert.notEqual(run.status, 0);
        assert.match(run.stderr, /dist\/index\.js: the stack program is not compiled; allowed: run `npm run build:package`/);
    });

    it("ignores compiled modules whose source is gone, and runs a build without sources (an installed package)", () => {
        const root = checkout({}, { "dist/index.js": 200, "dist/core/old.js": 100 });
        roots.push(root);
        const run = load(root);
        assert.equal(run.status, 0, run.stderr);
        assert.deepEqual(JSON.parse(run.stdout), { ran: true });
    });
});
