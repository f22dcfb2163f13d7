// Whether the compiled stack program in dist/ still matches the TypeScript sources beside it.
// Plain JavaScript, because it must run before (and without) anything compiled.
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

module.exports = { staleSources };
