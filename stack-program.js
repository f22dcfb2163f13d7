// The stack program Pulumi runs (Pulumi.yaml `main`): index.ts as compiled into dist/ by
// `npm run build:package` (npm ci runs it), so no preview or update pays for ts-node. A build
// older than its sources is refused rather than run, so an edit is never silently ignored.
// Plain JavaScript, because it must run before (and without) anything compiled. It sits in the
// project's root because Pulumi runs a program in its main's directory: relative paths in stack
// config (partner files, a kubeconfig) stay relative to the project, as with index.ts.
"use strict";
const fs = require("node:fs");
const path = require("node:path");

/** Every compiled module under dist/, as paths relative to it ("core/errors.js"). */
function compiledModules(dist, rel = "") {
    return fs.readdirSync(path.join(dist, rel), { withFileTypes: true }).flatMap((entry) => {
        const child = path.join(rel, entry.name);
        if (entry.isDirectory()) return compiledModules(dist, child);
        return entry.name.endsWith(".js") ? [child] : [];
    });
}

/**
 * The sources in `root` changed since dist/ was compiled from them: a source is stale when it is
 * newer than its module (tsc rewrites every module it emits, so a fresh build is never older than
 * its source). A source without a module that an edited source now imports is caught through
 * that edited source. Without sources (an installed package) nothing can be stale.
 * @returns the stale sources relative to `root`, and whether dist/index.js exists at all.
 */
function staleSources(root) {
    const dist = path.join(root, "dist");
    if (!fs.existsSync(path.join(dist, "index.js"))) return { built: false, stale: [] };
    const stale = [];
    for (const module of compiledModules(dist)) {
        const source = path.join(root, module.replace(/\.js$/, ".ts"));
        let sourceTime;
        try {
            sourceTime = fs.statSync(source).mtimeMs;
        } catch {
            continue; // a module whose source is gone is never loaded by a fresh build's modules
        }
        if (sourceTime > fs.statSync(path.join(dist, module)).mtimeMs) stale.push(path.relative(root, source));
    }
    return { built: true, stale: stale.sort() };
}

const root = __dirname;
const { built, stale } = staleSources(root);
if (!built || stale.length > 0) {
    const rebuild = "run `npm run build:package` (npm ci does too), then run Pulumi again";
    const problems = built
        ? stale.map((source) => ({ key: source, reason: "changed after the compiled program in dist/ was built", allowed: rebuild }))
        : [{ key: "dist/index.js", reason: "the stack program is not compiled", allowed: rebuild }];
    // The one error type, when the build holds it; a checkout never built has only this message.
    let QstackError;
    try {
        ({ QstackError } = require("./dist/core/errors"));
    } catch {
        throw new Error(`${problems[0].key}: ${problems[0].reason}; allowed: ${problems[0].allowed}`);
    }
    throw new QstackError("STALE_BUILD", problems, `the compiled stack program is out of date (${problems.length} source${problems.length === 1 ? "" : "s"})`);
}
module.exports = require("./dist/index");

