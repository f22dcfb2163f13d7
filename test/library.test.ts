/**
 * The package's public entry point (library.ts) and what `npm pack` ships: the compiled library
 * and qctl with their declarations, and nothing of the tests, the lab or the benchmarks.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as library from "../library";

const REPO = join(__dirname, "..");

describe("library.ts (the package's public entry point)", () => {
    it("exports the organization component with its two constructors, partner loading and the export format", () => {
        assert.equal(typeof library.QuorumOrganization, "function");
        assert.equal(typeof library.QuorumOrganization.create, "function");
        assert.equal(typeof library.QuorumOrganization.fromStackConfig, "function");
        for (const name of ["loadPartners", "pulumiPartnerIo", "parseExternalNodesDocument", "resolveConfig", "consumedPartner", "externalNodesDigest", "settingKey", "discoverExportedNode", "planOrganization"] as const) {
            assert.equal(typeof library[name], "function", name);
        }
        assert.equal(library.EXTERNAL_NODES_SCHEMA_VERSION, 1);
        assert.equal(library.DEFAULTS.quorumVersion, "24.4.1");
    });

    it("is all the project's own program imports, so the program and the library cannot drift apart", () => {
        const imports = [...readFileSync(join(REPO, "index.ts"), "utf8").matchAll(/^import .* from "([^"]+)";$/gm)].map((m) => m[1]);
        assert.deepEqual(imports, ["./library"]);
    });

    it("Pulumi.yaml names the compiled index.ts as the program, without ts-node, so Pulumi never runs package.json's library entry as the stack", () => {
        const pkg = JSON.parse(readFileSync(join(REPO, "package.json"), "utf8"));
        assert.equal(pkg.exports["."].default, "./dist/library.js");
        const project = readFileSync(join(REPO, "Pulumi.yaml"), "utf8");
        assert.match(project, /^main: stack-program\.js$/m);
        assert.match(project, /^ {4}typescript: false$/m);
        assert.match(readFileSync(join(REPO, "stack-program.js"), "utf8"), /require\("\.\/dist\/index"\)/);
        assert.ok(JSON.parse(readFileSync(join(REPO, "tsconfig.build.json"), "utf8").replace(/^\s*\/\/.*$/gm, "")).files.includes("index.ts"));
        assert.equal(pkg.scripts.prepare, "npm run build:package", "npm ci builds the program");
    });

    describe("npm pack", function () {
        this.timeout(180_000);
        let files: string[];
        let pkg: { peerDependencies: Record<string, string>; dependencies: Record<string, string>; exports: Record<string, Record<string, string>> };
        before(() => {
            // --dry-run still runs prepare, the package build (tsc -p tsconfig.build.json).
            const out = execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts=false"], { cwd: REPO, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
            files = (JSON.parse(out) as { files: { path: string }[] }[])[0].files.map((f) => f.path);
            pkg = JSON.parse(readFileSync(join(REPO, "package.json"), "utf8"));
        });

        it("ships the compiled library with its declarations, the types condition first in the exports map", () => {
            for (const f of ["dist/library.js", "dist/library.d.ts", "dist/components/organization.d.ts", "dist/core/config/organization-settings.d.ts", "dist/cli/main.js", "bin/qctl", "package.json"]) {
                assert.ok(files.includes(f), `${f} is packed`);
            }
            assert.deepEqual(Object.keys(pkg.exports["."]), ["types", "default"]);
        });

        it("ships no TypeScript sources, tests, lab, benchmarks or examples", () => {
            const stray = files.filter((f) => /^(test|lab|bench|examples|node_modules)\//.test(f) || (f.endsWith(".ts") && !f.endsWith(".d.ts")));
            assert.deepEqual(stray, []);
        });

        it("asks the consumer for Pulumi and the Kubernetes provider as peer dependencies, at least the versions tested", () => {
            assert.deepEqual(pkg.peerDependencies, { "@pulumi/kubernetes": ">=4.25.0 <5", "@pulumi/pulumi": ">=3.248.0 <4" });
            assert.ok(!("@pulumi/pulumi" in pkg.dependencies) && !("@pulumi/kubernetes" in pkg.dependencies));
        });
    });
});
