// The stack program Pulumi runs (Pulumi.yaml `main`): index.ts as compiled into dist/ by
// `npm run build:package` (npm ci runs it), so no preview or update pays for ts-node. A build
// older than its sources is refused rather than run, so an edit is never silently ignored.
"use strict";
const path = require("node:path");
const { staleSources } = require("./stale-build");

const root = path.join(__dirname, "..");
const { built, stale } = staleSources(root);
if (!built || stale.length > 0) {
    const rebuild = "run `npm run build:package` (npm ci does too), then run Pulumi again";
    const problems = built
        ? stale.map((source) => ({ key: source, reason: "changed after the compiled program in dist/ was built", allowed: rebuild }))
        : [{ key: "dist/index.js", reason: "the stack program is not compiled", allowed: rebuild }];
    // The one error type, when the build holds it; a checkout never built has only this message.
    let QstackError;
    try {
        ({ QstackError } = require("../dist/core/errors"));
    } catch {
        throw new Error(`${problems[0].key}: ${problems[0].reason}; allowed: ${problems[0].allowed}`);
    }
    throw new QstackError("STALE_BUILD", problems, `the compiled stack program is out of date (${problems.length} source${problems.length === 1 ? "" : "s"})`);
}
module.exports = require("../dist/index");

