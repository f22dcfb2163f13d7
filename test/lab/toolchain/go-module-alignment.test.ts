/**
 * The tools modules aligned by lab/toolchain/align-go-modules.sh build every module they share
 * with the kubernetes tools at kubernetes' version, so a cold toolchain compiles each shared
 * package once. A bumped tool or kubernetes silently undoes that; this names what drifted.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const TOOLS = join(__dirname, "..", "..", "..", "lab", "toolchain", "tools");
const MARK = "// BEGIN aligned with tools/kubernetes";

/** Module path -> the version a go.mod builds it at (a replace wins over a require). */
function effectiveVersions(goMod: string): Map<string, string> {
    const required = new Map<string, string>();
    const replaced = new Map<string, string>();
    let block: "require" | "replace" | undefined;
    for (const raw of goMod.split("\n")) {
        const line = raw.replace(/\/\/.*$/, "").trim();
        const open = /^(require|replace) \($/.exec(line);
        if (open) { block = open[1] as "require" | "replace"; continue; }
        if (line === ")") { block = undefined; continue; }
        const single = /^(require|replace) (.+)$/.exec(line);
        const kind = single ? (single[1] as "require" | "replace") : block;
        const body = single ? single[2] : line;
        if (kind === "require") {
            const m = /^(\S+) (v\S+)$/.exec(body);
            if (m) required.set(m[1], m[2]);
        } else if (kind === "replace") {
            const m = /^(\S+)(?: v\S+)? => (\S+) (v\S+)$/.exec(body);
            if (m && m[1] === m[2]) replaced.set(m[1], m[3]);
        }
    }
    return new Map([...required, ...replaced]);
}

const read = (tool: string) => readFileSync(join(TOOLS, tool, "go.mod"), "utf8");
const aligned = readdirSync(TOOLS).filter((t) => { try { return read(t).includes(MARK); } catch { return false; } });

describe("lab/toolchain: tools modules aligned with the kubernetes tools", () => {
    const kubernetes = effectiveVersions(read("kubernetes"));
    const node = effectiveVersions(read("kubernetes-node"));

    it("kwok and CoreDNS are aligned (the two that share most of kubernetes' packages)", () => {
        assert.deepEqual(aligned.sort(), ["coredns", "kwok"]);
    });

    for (const tool of aligned) {
        it(`${tool} builds every module it shares with tools/kubernetes(-node) at kubernetes' version`, () => {
            const own = effectiveVersions(read(tool));
            const drifted: string[] = [];
            for (const [mod, version] of own) {
                const want = kubernetes.get(mod) ?? node.get(mod);
                if (want && want !== version) drifted.push(`${mod} ${version} (kubernetes: ${want})`);
            }
            assert.deepEqual(drifted, [], `run lab/toolchain/align-go-modules.sh ${tool}`);
            const shared = [...own.keys()].filter((m) => kubernetes.has(m) || node.has(m));
            assert.ok(shared.some((m) => m === "k8s.io/client-go"), `${tool} shares client-go with kubernetes`);
        });
    }
});
