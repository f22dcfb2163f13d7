import assert from "node:assert/strict";
import { resolveConfig, type RawConfig } from "../../../core/config/resolve-config";
import { DEFAULTS } from "../../../core/config/schema";
import { QstackError } from "../../../core/errors";
import { vectorFile } from "../../helpers/vectors";

const minimal: RawConfig = {
    org: "org-a",
    nodes: [{ name: "validator1" }, { name: "validator2" }, { name: "validator3" }, { name: "member1", role: "member" }],
};

/** Resolves `raw` expecting failure; returns the error for further checks. */
function rejects(raw: RawConfig, secretKeys: string[] = []): QstackError {
    try {
        resolveConfig(raw, { secretKeys: new Set(secretKeys) });
    } catch (e) {
        assert.ok(e instanceof QstackError, `expected QstackError, got ${String(e)}`);
        assert.equal(e.code, "INVALID_CONFIG");
        return e;
    }
    assert.fail("config was accepted");
}

/** Asserts the error has a problem for `key` whose line also names the value and what is allowed. */
function hasProblem(e: QstackError, key: string, reason: RegExp, allowed: RegExp): void {
    const p = e.problems.find((x) => x.key === key && reason.test(x.reason));
    assert.ok(p, `no problem for ${key} matching ${reason}; got:\n${e.message}`);
    assert.match(p.allowed ?? "", allowed);
    assert.ok(e.message.includes(key), "message names the key");
}

describe("core/config/resolve-config", () => {
    describe("defaults", () => {
        const c = resolveConfig(minimal);
        it("needs only org and nodes for a 4-node QBFT network with Tessera", () => {
            assert.equal(c.consensus, "qbft");
            assert.equal(c.nodes.length, 4);
            assert.ok(c.nodes.every((n) => n.tessera));
        });
        it("documents each default in DEFAULTS and applies it", () => {
            assert.equal(c.chainId, DEFAULTS.chainId);
            assert.equal(c.namespace, "org-a");
            assert.equal(c.quorum.image, "quorumengineering/quorum:24.4.1");
            assert.equal(c.tessera.image, "quorumengineering/tessera:24.4.2");
            assert.equal(c.blockPeriodSeconds, DEFAULTS.blockPeriodSeconds);
            assert.equal(c.gasLimit, DEFAULTS.gasLimit);
            assert.deepEqual(c.service, { type: "NodePort", nodePortRange: { min: 30000, max: 32767 } });
            assert.equal(c.networkPolicy.enabled, true);
            assert.equal(c.ingress.enabled, false);
            assert.deepEqual(c.securityContext, DEFAULTS.securityContext);
            assert.deepEqual(c.rpcApis, DEFAULTS.rpcApis);
            assert.equal(c.nodes[0].role, "validator");
            assert.equal(c.nodes[3].role, "member");
            assert.equal(c.nodes[0].storage.size, "10Gi");
            assert.deepEqual(c.nodes[0].resources.quorum, DEFAULTS.quorumResources);
            assert.deepEqual(c.importedKeys, {});
        });
        it("sets no round-timeout cap unless asked (GoQuorum's default), and takes one from requestTimeoutSeconds up", () => {
            assert.equal(c.maxRequestTimeoutSeconds, undefined);
            assert.equal(resolveConfig({ ...minimal, maxRequestTimeoutSeconds: 60 }).maxRequestTimeoutSeconds, 60);
            assert.equal(resolveConfig({ ...minimal, maxRequestTimeoutSeconds: "10" }).maxRequestTimeoutSeconds, 10);
        });
        it("derives the image from a changed version", () => {
            assert.equal(resolveConfig({ ...minimal, quorum: { version: "24.4.0" } }).quorum.image, "quorumengineering/quorum:24.4.0");
        });
    });

    describe("validation errors name the key, the bad value and what is allowed", () => {
        it("chain id 1", () => hasProblem(rejects({ ...minimal, chainId: 1 }), "qstack:chainId", /mainnet/, /integer from 2/));
        it("chain id 0", () => hasProblem(rejects({ ...minimal, chainId: 0 }), "qstack:chainId", /integer in range/, /integer from 2/));
        it("chain id not an integer", () => hasProblem(rejects({ ...minimal, chainId: "abc" }), "qstack:chainId", /integer/, /integer from/));
        it("unknown consensus", () => hasProblem(rejects({ ...minimal, consensus: "pow" }), "qstack:consensus", /unknown value/, /qbft, ibft, raft, clique/));
        it("duplicate node names", () =>
            hasProblem(rejects({ ...minimal, nodes: [{ name: "a" }, { name: "a" }] }), "qstack:nodes[1].name", /duplicate/, /unique/));
        for (const bad of ["Node1", "node_1", "-n", "n".repeat(41), 7]) {
            it(`invalid node name ${JSON.stringify(bad)}`, () =>
                hasProblem(rejects({ ...minimal, nodes: [{ name: bad }] }), "qstack:nodes[0].name", /invalid node name/, /DNS-1123/));
        }
        for (const consensus of ["qbft", "ibft", "clique"]) {
            it(`no validator in the organization founding a ${consensus} network`, () =>
                hasProblem(rejects({ org: "o", consensus, nodes: [{ name: "m", role: "member" }] }), "qstack:nodes", /at least one node with role validator to found a network/, /role: validator, or join .* qstack:genesisFrom/));
        }
        it("accepts a joiner that runs members only (an observer organization: the founder's validators seal)", () => {
            const c = resolveConfig({ org: "o", nodes: [{ name: "m", role: "member" }], partners: ["org/qstack/a"], genesisFrom: "org/qstack/a" });
            assert.deepEqual(c.nodes.map((n) => n.role), ["member"]);
        });
        it("raft with members that cannot join", () =>
            hasProblem(rejects({ ...minimal, consensus: "raft" }), "qstack:nodes[3].role", /cannot join/, /validator/));
        it("NodePort out of range", () =>
            hasProblem(rejects({ org: "o", nodes: [{ name: "v", nodePorts: { p2p: 29999 } }] }), "qstack:nodes[0].nodePorts.p2p", /outside/, /30000-32767/));
        it("NodePort outside a custom range", () =>
            hasProblem(rejects({ org: "o", service: { nodePortRange: "31000-31099" }, nodes: [{ name: "v", nodePorts: { p2p: 31100 } }] }), "qstack:nodes[0].nodePorts.p2p", /outside/, /31000-31099/));
        it("NodePort used twice", () =>
            hasProblem(rejects({ org: "o", nodes: [{ name: "v", nodePorts: { p2p: 30001 } }, { name: "w", nodePorts: { tessera: 30001 } }] }), "qstack:nodes[1].nodePorts.tessera", /already used/, /once/));
        it("raft NodePort without raft", () =>
            hasProblem(rejects({ org: "o", nodes: [{ name: "v", nodePorts: { raft: 30001 } }] }), "qstack:nodes[0].nodePorts.raft", /only used with consensus raft/, /omit/));
        it("invalid node port range", () => hasProblem(rejects({ ...minimal, service: { nodePortRange: "40000-30000" } }), "qstack:service.nodePortRange", /invalid/, /MIN-MAX/));
        it("unknown service type", () => hasProblem(rejects({ ...minimal, service: { type: "LoadBalancer" } }), "qstack:service.type", /unknown/, /NodePort/));
        it("an unknown (misspelt) top-level key", () => hasProblem(rejects({ ...minimal, consensu: "qbft" }), "qstack:consensu", /unknown key/, /consensus/));
        it("an unknown node key", () => hasProblem(rejects({ org: "o", nodes: [{ name: "v", tesera: false }] }), "qstack:nodes[0].tesera", /unknown key/, /tessera/));
        it("unknown role", () => hasProblem(rejects({ org: "o", nodes: [{ name: "v", role: "boss" }] }), "qstack:nodes[0].role", /unknown value/, /validator, member/));
        it("admin API over HTTP", () => hasProblem(rejects({ ...minimal, rpcApis: ["eth", "admin"] }), "qstack:rpcApis[1]", /never served/, /eth/));
        it("the quorum API, which GoQuorum 24.4.1 does not serve", () => hasProblem(rejects({ ...minimal, rpcApis: ["eth", "quorum"] }), "qstack:rpcApis[1]", /no quorum API namespace/, /txpool/));
        it("personal API over HTTP", () => hasProblem(rejects({ ...minimal, rpcApis: ["personal"] }), "qstack:rpcApis[0]", /never served/, /eth/));
        it("a geth flag qstack manages", () =>
            hasProblem(rejects({ org: "o", nodes: [{ name: "v", gethFlags: ["--http.api=admin,eth"] }] }), "qstack:nodes[0].gethFlags[0]", /managed by qstack/, /except/));
        it("a storage size that is not a quantity", () =>
            hasProblem(rejects({ org: "o", nodes: [{ name: "v", storage: { size: "ten gigs" } }] }), "qstack:nodes[0].storage.size", /invalid/, /quantity/));
        it("a resource request that is not a quantity", () =>
            hasProblem(rejects({ org: "o", nodes: [{ name: "v", resources: { quorum: { requests: { cpu: "lots" } } } }] }), "qstack:nodes[0].resources.quorum.requests.cpu", /invalid/, /quantity/));
        it("missing org", () => hasProblem(rejects({ nodes: minimal.nodes }), "qstack:org", /required/, /DNS-1123/));
        it("missing nodes", () => hasProblem(rejects({ org: "o" }), "qstack:nodes", /required/, /list of nodes/));
        it("empty node list", () => hasProblem(rejects({ org: "o", nodes: [] }), "qstack:nodes", /at least one node/, /list of nodes/));
        it("a nodeIp that is not an address", () => hasProblem(rejects({ ...minimal, nodeIp: "http://x" }), "qstack:nodeIp", /not a valid IPv6 address/, /IPv4 address .*IPv6 address.*DNS name/));
        it("a nodeIp that looks like an IPv4 address but is none: 999.1.1.1", () => {
            const e = rejects({ ...minimal, nodeIp: "999.1.1.1" });
            hasProblem(e, "qstack:nodeIp", /^octet 999 is out of range \(0-255\)$/, /IPv4 address/);
            assert.match(e.message, /qstack:nodeIp: octet 999 is out of range \(0-255\) \(got "999.1.1.1"\); allowed: an IPv4 address/);
        });
        it("a nodeIp with three octets: 10.0.0", () => hasProblem(rejects({ ...minimal, nodeIp: "10.0.0" }), "qstack:nodeIp", /has 3 dot-separated parts; an IPv4 address has 4/, /IPv4/));
        it("an ingress host that is an IP address or not a name", () => {
            const ingress = (host: string) => rejects({ ...minimal, ingress: { enabled: true, host } });
            hasProblem(ingress("10.0.0.1"), "qstack:ingress.host", /is an IPv4 address; an Ingress host must be a name/, /DNS name/);
            hasProblem(ingress("rpc_1.example.com"), "qstack:ingress.host", /label 'rpc_1'/, /DNS name/);
        });
        it("a raft joiner (cross-organization raft membership is not automated)", () =>
            hasProblem(rejects({ ...minimal, consensus: "raft", nodes: [{ name: "r1" }], partners: ["x/qstack/a"], genesisFrom: "x/qstack/a" }), "qstack:genesisFrom", /raft cluster is not automated/, /qbft, ibft or clique/));
        it("a genesisFrom that is not a configured partner", () =>
            hasProblem(rejects({ ...minimal, genesisFrom: "x/qstack/a" }), "qstack:genesisFrom", /must name one of the configured partners/, /add the founder/));
        it("maxRequestTimeoutSeconds with a consensus other than QBFT", () => {
            for (const consensus of ["ibft", "clique"]) {
                hasProblem(rejects({ ...minimal, consensus, maxRequestTimeoutSeconds: 60 }), "qstack:maxRequestTimeoutSeconds", new RegExp(`only QBFT caps .*consensus is ${consensus}`), /omit it, or use consensus qbft/);
            }
        });
        it("maxRequestTimeoutSeconds below requestTimeoutSeconds (geth would log an overflow error every round)", () =>
            hasProblem(rejects({ ...minimal, requestTimeoutSeconds: 10, maxRequestTimeoutSeconds: 5 }), "qstack:maxRequestTimeoutSeconds", /below qstack:requestTimeoutSeconds.*overflow/, /from qstack:requestTimeoutSeconds \(10\) to 86400/));
        it("maxRequestTimeoutSeconds that is not a positive integer", () => {
            for (const bad of [0, -5, 2.5, "soon", 86401]) hasProblem(rejects({ ...minimal, maxRequestTimeoutSeconds: bad }), "qstack:maxRequestTimeoutSeconds", /integer in range/, /integer from 1 to 86400/);
        });
        it("maxRequestTimeoutSeconds on a joiner, which adopts the founder's genesis", () =>
            hasProblem(rejects({ ...minimal, partners: ["x/qstack/a"], genesisFrom: "x/qstack/a", maxRequestTimeoutSeconds: 60 }), "qstack:maxRequestTimeoutSeconds", /part of the genesis.*founder \(qstack:genesisFrom\)/, /founding organization sets it/));
        it("an ingress without host", () => hasProblem(rejects({ ...minimal, ingress: { enabled: true } }), "qstack:ingress.host", /needs a host/, /DNS host/));
        it("a non-boolean flag", () => hasProblem(rejects({ ...minimal, createNamespace: "yes" }), "qstack:createNamespace", /boolean/, /true or false/));

        it("reports every problem at once, one line each", () => {
            const e = rejects({ org: "o", chainId: 1, consensus: "pow", nodes: [{ name: "A" }] });
            assert.ok(e.problems.length >= 3);
            assert.match(e.message, /^invalid qstack config \(\d+ problems\):\n  - qstack:/);
            assert.match(e.message, /qstack:chainId: chain id 1 is Ethereum mainnet, which GoQuorum refuses \(got 1\); allowed: /);
        });
    });

    describe("imported keys", () => {
        const nodekey = vectorFile("raft/nodekey1");
        const base = { org: "o", nodes: [{ name: "v1" }] };
        it("accepts Qubernetes-style key files stored as a secret", () => {
            const c = resolveConfig(
                { ...base, importedKeys: { v1: { nodeKey: nodekey, tesseraPrivateKey: vectorFile("keys/tm1.key"), accountKeystore: vectorFile("keys/key1"), accountPassword: "" } } },
                { secretKeys: new Set(["importedKeys"]) },
            );
            assert.equal(c.importedKeys.v1.nodeKey, nodekey);
        });
        it("refuses imported keys that are not a Pulumi secret", () =>
            hasProblem(rejects({ ...base, importedKeys: { v1: { nodeKey: nodekey } } }), "qstack:importedKeys", /must be stored as a Pulumi secret/, /--secret/));
        it("refuses a malformed nodekey without echoing it", () => {
            const e = rejects({ ...base, importedKeys: { v1: { nodeKey: "1234" } } }, ["importedKeys"]);
            hasProblem(e, "qstack:importedKeys.v1.nodeKey", /64 hex/, /64 hex/);
            assert.ok(!e.message.includes("1234"));
        });
        it("refuses a malformed Tessera key", () =>
            hasProblem(rejects({ ...base, importedKeys: { v1: { tesseraPrivateKey: "short" } } }, ["importedKeys"]), "qstack:importedKeys.v1.tesseraPrivateKey", /base64/, /base64/));
        it("refuses a malformed keystore", () =>
            hasProblem(rejects({ ...base, importedKeys: { v1: { accountKeystore: "{}" } } }, ["importedKeys"]), "qstack:importedKeys.v1.accountKeystore", /version/, /V3 keystore/));
        it("refuses keys for a node that does not exist", () =>
            hasProblem(rejects({ ...base, importedKeys: { v2: { nodeKey: nodekey } } }, ["importedKeys"]), "qstack:importedKeys.v2", /unknown key/, /v1/));
        it("refuses both accountKey and accountKeystore", () =>
            hasProblem(rejects({ ...base, importedKeys: { v1: { accountKey: nodekey, accountKeystore: vectorFile("keys/key1") } } }, ["importedKeys"]), "qstack:importedKeys.v1", /Only one of/, /accountKey/));
    });
});
