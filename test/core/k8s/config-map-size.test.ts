import assert from "node:assert/strict";
import { checkConsortiumFits, CONFIG_MAP_DATA_LIMIT_BYTES, consortiumConfigMapSizes, maxConsortiumNodes, type ConsortiumShape } from "../../../core/k8s/config-map-size";
import { QstackError } from "../../../core/errors";
import { buildStaticNodes } from "../../../core/peers/peer-lists";
import { computeKeyIdentity } from "../../../core/keys/secp256k1-key";
import { nodeKeys } from "../../helpers/vectors";

const shape = (count: number, host?: string): ConsortiumShape => ({
    consensus: "qbft",
    nodes: Array.from({ length: count }, (_, i) => ({ name: `node-${i}`, host, validator: i % 4 !== 3, tessera: true })),
});

describe("core/k8s/config-map-size", () => {
    it("bounds static-nodes.json from above: real entries (real enode ids, a real IPv4 node IP, allocated ports) are never longer", () => {
        const id = computeKeyIdentity(nodeKeys()[0]);
        const real = JSON.stringify(buildStaticNodes(Array.from({ length: 50 }, (_, i) => ({ name: `n${i}`, enodeId: id.enodeId, host: "10.213.0.10", p2pPort: 30000 + i })), "qbft"), null, 2);
        const bound = consortiumConfigMapSizes(shape(50, "10.213.0.10")).find((s) => s.configMap === "static-nodes.json")!;
        assert.ok(bound.bytes >= Buffer.byteLength(real), `${bound.bytes} < ${Buffer.byteLength(real)}`);
        assert.ok(bound.bytes - Buffer.byteLength(real) <= 50 * 4, "and tight: at most the longer ports");
    });

    it("sizes every ConfigMap that grows with the consortium, the reconciler script being the largest", () => {
        const sizes = consortiumConfigMapSizes(shape(100));
        assert.deepEqual(sizes.map((s) => s.configMap), ["static-nodes.json", "permissioned-nodes.json", "reconciler script", "Tessera config"]);
        const largest = sizes.reduce((a, b) => (b.bytes > a.bytes ? b : a));
        assert.equal(largest.configMap, "reconciler script");
    });

    it("finds the largest consortium that fits: it passes and one more node is refused", () => {
        const max = maxConsortiumNodes(shape(8));
        assert.ok(max > 1000 && max < 20000, String(max));
        assert.doesNotThrow(() => checkConsortiumFits(shape(max)));
        assert.ok(consortiumConfigMapSizes(shape(max)).every((s) => s.bytes <= CONFIG_MAP_DATA_LIMIT_BYTES));
        assert.throws(() => checkConsortiumFits(shape(max + 1)));
        // Shorter addresses fit more nodes.
        assert.ok(maxConsortiumNodes(shape(8, "10.0.0.1")) > max);
    });

    it("refuses a consortium that would not fit with a clear error naming the ConfigMap, its size and the most nodes allowed", () => {
        const max = maxConsortiumNodes(shape(8));
        assert.throws(
            () => checkConsortiumFits(shape(max + 100)),
            (e: unknown) => {
                assert.ok(e instanceof QstackError && e.code === "INVALID_CONFIG");
                assert.match(e.message, new RegExp(`qstack:nodes: the reconciler script ConfigMap would hold up to \\d+ KiB for a consortium of ${max + 100} nodes, over the 960 KiB a Kubernetes object leaves its data \\(1 MiB less metadata\\); allowed: at most ${max} nodes in the consortium, this organization's and every partner's together`));
                return true;
            },
        );
    });
});
