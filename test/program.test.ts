import assert from "node:assert/strict";
import { externalNodesDigest } from "../core/export/partner-drift";
import * as pulumi from "@pulumi/pulumi";
import { installMocks, promiseOf, recorded, settle, stackOutputs } from "./helpers/mocks";

const PROGRAM = require.resolve("../index");

/** Evaluates index.ts afresh against the given `qstack:` config; resolves to its outputs. */
function runProgram(config: Record<string, unknown>, secretKeys: string[] = [], partnerOutputs: Record<string, Record<string, unknown>> = {}): Promise<Record<string, any>> {
    installMocks();
    for (const [stack, outputs] of Object.entries(partnerOutputs)) stackOutputs.set(stack, outputs);
    const all: Record<string, string> = {};
    for (const [k, v] of Object.entries(config)) all[`qstack:${k}`] = typeof v === "string" ? v : JSON.stringify(v);
    pulumi.runtime.setAllConfig(all, secretKeys.map((k) => `qstack:${k}`));
    delete require.cache[PROGRAM];
    return (require(PROGRAM) as () => Promise<Record<string, any>>)();
}

describe("index.ts (the Pulumi program)", () => {
    it("exports externalNodes, nodeIp, genesis, genesisHash, chainId, consensus, namespace and partner status", async () => {
        const program = await runProgram({ org: "org-a", nodeIp: "10.9.8.7", nodes: [{ name: "v1" }, { name: "m1", role: "member" }] });
        assert.deepEqual(Object.keys(program).sort(), ["chainId", "consensus", "desiredValidators", "externalNodes", "genesis", "genesisHash", "namespace", "nodeIp", "partners", "pendingPartners"]);
        assert.equal(await promiseOf(program.nodeIp), "10.9.8.7");
        assert.equal(program.chainId, 1337);
        assert.equal(program.consensus, "qbft");
        const ext = await promiseOf(program.externalNodes);
        assert.equal(ext.nodes.length, 2);
        assert.equal(ext.genesisHash, await promiseOf(program.genesisHash));
        await settle();
    });

    it("fails a bad config with a RunError naming every problem, before declaring any resource", async () => {
        await assert.rejects(
            runProgram({ org: "org-a", chainId: 1, nodeIp: "10.9.8.7", nodes: [{ name: "Bad_Name" }] }),
            (e: unknown) =>
                e instanceof pulumi.RunError &&
                /qstack:chainId: chain id 1 is Ethereum mainnet/.test(e.message) &&
                /qstack:nodes\[0\]\.name: invalid node name/.test(e.message),
        );
        assert.equal(recorded.length, 0);
    });

    it("stops at a dotted-quad lookalike qstack:nodeIp (999.1.1.1) before declaring any resource, naming the key and the reason", async () => {
        await assert.rejects(
            runProgram({ org: "org-a", nodeIp: "999.1.1.1", nodes: [{ name: "v1" }] }),
            (e: unknown) => e instanceof pulumi.RunError && /qstack:nodeIp: octet 999 is out of range \(0-255\) \(got "999.1.1.1"\)/.test(e.message),
        );
        assert.equal(recorded.length, 0);
    });

    it("accepts imported keys only from secret config", async () => {
        const keys = { v1: { nodeKey: "1be3b50b31734be48452c29d714941ba165ef0cbf3ccea8ca16c45e3d8d45fb0" } };
        const base = { org: "org-a", nodeIp: "10.9.8.7", nodes: [{ name: "v1" }], importedKeys: keys };
        await assert.rejects(runProgram(base), /must be stored as a Pulumi secret/);
        await runProgram(base, ["importedKeys"]);
        await settle();
    });

    it("reads a partner through a StackReference and adopts the founder's genesis", async () => {
        const founder = await runProgram({ org: "org-a", nodeIp: "10.0.0.1", nodes: [{ name: "a1" }] });
        const founderOutputs = { externalNodes: await promiseOf(founder.externalNodes) };
        await settle();
        const joiner = await runProgram(
            { org: "org-b", nodeIp: "10.0.0.2", nodes: [{ name: "b1" }], partners: ["organization/qstack/clusterA"], genesisFrom: "organization/qstack/clusterA" },
            [],
            { "organization/qstack/clusterA": founderOutputs },
        );
        assert.ok(recorded.some((r) => r.type === "pulumi:pulumi:StackReference" && r.inputs.name === "organization/qstack/clusterA"));
        assert.equal(await promiseOf(joiner.genesisHash), founderOutputs.externalNodes.genesisHash);
        // What it consumed, for `qctl network status`: the digest of the founder's very export, and its node facts.
        const doc = founderOutputs.externalNodes;
        assert.deepEqual(joiner.partners, [
            {
                source: "organization/qstack/clusterA",
                via: "stack",
                org: "org-a",
                nodes: 1,
                digest: externalNodesDigest(doc),
                nodeIp: "10.0.0.1",
                consumedNodes: [{ name: "a1", role: "validator", enodeId: doc.nodes[0].enodeId, p2pNodePort: doc.nodes[0].p2pNodePort, tesseraP2pUrl: doc.nodes[0].tesseraP2pUrl }],
            },
        ]);
        await settle();
    });

    it("refuses a partner on another chain id through the real program path, before declaring resources", async () => {
        const founder = await runProgram({ org: "org-a", nodeIp: "10.0.0.1", chainId: 2000, nodes: [{ name: "a1" }] });
        const outputs = { externalNodes: await promiseOf(founder.externalNodes) };
        await settle();
        await assert.rejects(
            runProgram({ org: "org-b", nodeIp: "10.0.0.2", nodes: [{ name: "b1" }], partners: ["clusterA"] }, [], { clusterA: outputs }),
            (e: unknown) => e instanceof pulumi.RunError && /clusterA: externalNodes\.chainId: differs from this network's chain id \(got 2000\); allowed: 1337/.test(e.message),
        );
        assert.deepEqual(recorded.map((r) => r.type), ["pulumi:pulumi:StackReference"]);
    });
});
