import assert from "node:assert/strict";
import { QstackError } from "../../../core/errors";
import type { DeclaredObject } from "../../../core/render/manifests";
import { renderNetworkFiles } from "../../../core/render/network-files";

const cm = (name: string, data: Record<string, string>): DeclaredObject => ({ type: "kubernetes:core/v1:ConfigMap", object: { apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace: "org-a" }, data } });
const shared = [cm("qstack-genesis", { "genesis.json": "{}" }), cm("qstack-static-nodes", { "static-nodes.json": "[]" }), cm("qstack-permissioned-nodes", { "permissioned-nodes.json": "[]" })];

describe("core/render/network-files", () => {
    it("takes genesis.json, the peer lists and each Tessera node's config from the ConfigMaps the nodes mount", () => {
        const files = renderNetworkFiles([...shared, cm("v1-tessera", { "tessera-config.json": '{"a":1}' })], [{ name: "v1", tessera: true }, { name: "m1", tessera: false }], undefined);
        assert.deepEqual(files.map((f) => [f.path, f.content]), [
            ["network/genesis.json", "{}\n"],
            ["network/permissioned-nodes.json", "[]\n"],
            ["network/static-nodes.json", "[]\n"],
            ["network/tessera/v1.json", '{"a":1}\n'],
        ]);
    });

    it("adds externalNodes.json when the organization exports one", () => {
        const doc = { schemaVersion: 1, org: "org-a" } as never;
        const files = renderNetworkFiles(shared, [], doc);
        assert.equal(files.find((f) => f.path === "externalNodes.json")?.content, `${JSON.stringify(doc, null, 2)}\n`);
    });

    it("refuses a Tessera node without its ConfigMap, naming the node", () => {
        assert.throws(() => renderNetworkFiles(shared, [{ name: "v1", tessera: true }], undefined), (e: unknown) => e instanceof QstackError && /^v1: runs Tessera but no Tessera ConfigMap/.test(e.message));
    });
});
