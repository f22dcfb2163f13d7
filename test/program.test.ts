import assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { installMocks, promiseOf, recorded, settle } from "./helpers/mocks";

const PROGRAM = require.resolve("../index");

/** Evaluates index.ts afresh against the given `qstack:` config. */
function runProgram(config: Record<string, unknown>, secretKeys: string[] = []): Record<string, any> {
    installMocks();
    const all: Record<string, string> = {};
    for (const [k, v] of Object.entries(config)) all[`qstack:${k}`] = typeof v === "string" ? v : JSON.stringify(v);
    pulumi.runtime.setAllConfig(all, secretKeys.map((k) => `qstack:${k}`));
    delete require.cache[PROGRAM];
    return require(PROGRAM);
}

describe("index.ts (the Pulumi program)", () => {
    it("exports externalNodes, nodeIp, genesis, genesisHash, chainId, consensus and namespace", async () => {
        const program = runProgram({ org: "org-a", nodeIp: "10.9.8.7", nodes: [{ name: "v1" }, { name: "m1", role: "member" }] });
        assert.deepEqual(Object.keys(program).sort(), ["chainId", "consensus", "externalNodes", "genesis", "genesisHash", "namespace", "nodeIp"]);
        assert.equal(await promiseOf(program.nodeIp), "10.9.8.7");
        assert.equal(program.chainId, 1337);
        assert.equal(program.consensus, "qbft");
        const ext = await promiseOf(program.externalNodes);
        assert.equal(ext.nodes.length, 2);
        assert.equal(ext.genesisHash, await promiseOf(program.genesisHash));
        await settle();
    });

    it("fails a bad config with a RunError naming every problem, before declaring any resource", () => {
        assert.throws(
            () => runProgram({ org: "org-a", chainId: 1, nodeIp: "10.9.8.7", nodes: [{ name: "Bad_Name" }] }),
            (e: unknown) =>
                e instanceof pulumi.RunError &&
                /qstack:chainId: chain id 1 is Ethereum mainnet/.test(e.message) &&
                /qstack:nodes\[0\]\.name: invalid node name/.test(e.message),
        );
        assert.equal(recorded.length, 0);
    });

    it("accepts imported keys only from secret config", () => {
        const keys = { v1: { nodeKey: "1be3b50b31734be48452c29d714941ba165ef0cbf3ccea8ca16c45e3d8d45fb0" } };
        const base = { org: "org-a", nodeIp: "10.9.8.7", nodes: [{ name: "v1" }], importedKeys: keys };
        assert.throws(() => runProgram(base), /must be stored as a Pulumi secret/);
        assert.doesNotThrow(() => runProgram(base, ["importedKeys"]));
    });
});
