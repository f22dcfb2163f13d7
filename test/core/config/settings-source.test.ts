import assert from "node:assert/strict";
import { resolveConfig, type RawConfig } from "../../../core/config/resolve-config";
import { settingKey, type SettingsSource } from "../../../core/config/settings-source";
import { QstackError, type Problem } from "../../../core/errors";

/** The problems resolveConfig reports for `raw` written in `source`. */
function problemsOf(raw: RawConfig, source: SettingsSource): readonly Problem[] {
    try {
        resolveConfig(raw, { source, secretKeys: new Set(["importedKeys"]) });
    } catch (e) {
        if (e instanceof QstackError) return e.problems;
        throw e;
    }
    assert.fail("expected the settings to be refused");
}

/** Every setting named in a problem's key or allowed text, rewritten from stack config's form. */
const asArgs = (p: Problem): Problem => ({ ...p, key: p.key.replace(/qstack:/g, "args."), ...(p.allowed ? { allowed: p.allowed.replace(/qstack:/g, "args.") } : {}) });

describe("core/config/settings-source", () => {
    it("names a setting qstack:<path> in stack config and args.<path> in a component's arguments", () => {
        assert.equal(settingKey("stack-config", "nodes[1].name"), "qstack:nodes[1].name");
        assert.equal(settingKey("component-args", "nodes[1].name"), "args.nodes[1].name");
    });

    const badSettings: Record<string, RawConfig> = {
        "a bad node name, a mainnet chain id and an unknown key": { org: "org-a", chainId: 1, nodes: [{ name: "v1" }, { name: "Bad_Name" }], colour: "blue" },
        "a NodePort outside the range and an admin API": { org: "org-a", nodes: [{ name: "v1", nodePorts: { p2p: 80 } }], rpcApis: ["admin"] },
        "a genesisFrom naming no partner and an acceptance test on a missing node": {
            org: "org-a", nodes: [{ name: "v1" }], partners: ["o/qstack/b"], genesisFrom: "o/qstack/c", acceptanceTest: { enabled: true, node: "nope" },
        },
        "a malformed imported key": { org: "org-a", nodes: [{ name: "v1" }], importedKeys: { v1: { nodeKey: "xyz" } } },
        "no nodes and no org": {},
    };
    for (const [what, raw] of Object.entries(badSettings)) {
        it(`reports the same problems for both, differing only in how settings are named: ${what}`, () => {
            const stack = problemsOf(raw, "stack-config");
            const args = problemsOf(raw, "component-args");
            assert.ok(stack.length > 0);
            assert.deepEqual(args, stack.map(asArgs));
            assert.ok(!JSON.stringify(args).includes("qstack:"), JSON.stringify(args));
        });
    }

    it("records where the settings came from in the resolved config", () => {
        assert.equal(resolveConfig({ org: "org-a", nodes: [{ name: "v1" }] }).settingsSource, "stack-config");
        assert.equal(resolveConfig({ org: "org-a", nodes: [{ name: "v1" }] }, { source: "component-args" }).settingsSource, "component-args");
    });
});
