import assert from "node:assert/strict";
import { parse } from "yaml";
import { QstackError } from "../../../core/errors";
import { formatManifest, isKubernetesObjectType, manifestPath, renderManifests, unknownNodePorts, type DeclaredObject } from "../../../core/render/manifests";

const configMap = (name: string, data: Record<string, string>, namespace = "org-a"): DeclaredObject => ({
    type: "kubernetes:core/v1:ConfigMap",
    object: { kind: "ConfigMap", apiVersion: "v1", metadata: { namespace, name, labels: { z: "1", a: "2" } }, data },
});
const secret: DeclaredObject = { type: "kubernetes:core/v1:Secret", object: { apiVersion: "v1", kind: "Secret", metadata: { name: "v1-keys", namespace: "org-a" }, stringData: { nodekey: "k", "tm.key": "t" } } };
const namespace: DeclaredObject = { type: "kubernetes:core/v1:Namespace", object: { apiVersion: "v1", kind: "Namespace", metadata: { name: "org-a" } } };

describe("core/render/manifests", () => {
    it("takes only Kubernetes objects: not providers, components or other packages' resources", () => {
        assert.equal(isKubernetesObjectType("kubernetes:apps/v1:StatefulSet"), true);
        assert.equal(isKubernetesObjectType("kubernetes:monitoring.coreos.com/v1:ServiceMonitor"), true);
        assert.equal(isKubernetesObjectType("pulumi:providers:kubernetes"), false);
        assert.equal(isKubernetesObjectType("random:index/randomPassword:RandomPassword"), false);
        assert.equal(isKubernetesObjectType("qstack:index:QuorumOrganization"), false);
    });

    it("puts each object in manifests/<namespace>/<kind>-<name>.yaml, cluster-scoped ones under _cluster", () => {
        assert.equal(manifestPath(configMap("qstack-genesis", {}).object), "manifests/org-a/configmap-qstack-genesis.yaml");
        assert.equal(manifestPath(namespace.object), "manifests/_cluster/namespace-org-a.yaml");
    });

    it("writes apiVersion, kind and metadata first and every other map sorted, whatever order the program built them in", () => {
        const text = formatManifest(configMap("c", { b: "2", a: "1" }).object);
        assert.equal(text, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  labels:\n    a: \"2\"\n    z: \"1\"\n  name: c\n  namespace: org-a\ndata:\n  a: \"1\"\n  b: \"2\"\n");
        assert.deepEqual(parse(text), configMap("c", { a: "1", b: "2" }).object);
    });

    it("never folds long strings, so a script or JSON file diffs line by line", () => {
        const long = `#!/bin/sh\n${"x".repeat(300)}\n`;
        assert.ok(formatManifest(configMap("c", { "run.sh": long }).object).includes("x".repeat(300)));
    });

    it("leaves Secrets out by default and lists them with the keys their data must hold", () => {
        const { files, omittedSecrets } = renderManifests([configMap("c", {}), secret, namespace], false);
        assert.deepEqual(files.map((f) => f.path), ["manifests/_cluster/namespace-org-a.yaml", "manifests/org-a/configmap-c.yaml"]);
        assert.deepEqual(omittedSecrets, [{ name: "v1-keys", namespace: "org-a", keys: ["nodekey", "tm.key"] }]);
        const withSecrets = renderManifests([configMap("c", {}), secret], true);
        assert.deepEqual(withSecrets.files.map((f) => [f.path, f.secret]), [["manifests/org-a/configmap-c.yaml", false], ["manifests/org-a/secret-v1-keys.yaml", true]]);
    });

    it("refuses two objects that would share a file", () => {
        assert.throws(() => renderManifests([configMap("c", {}), configMap("c", { a: "1" })], false), (e: unknown) => e instanceof QstackError && /^manifests\/org-a\/configmap-c\.yaml: two objects render to the same file/.test(e.message));
    });

    it("lists the NodePort Service ports without a nodePort, which only an apply can learn", () => {
        const service = (name: string, type: string, ports: object[]): DeclaredObject => ({
            type: "kubernetes:core/v1:Service",
            object: { apiVersion: "v1", kind: "Service", metadata: { name, namespace: "org-a" }, spec: { type, ports } },
        });
        const objects = [
            service("v1-external", "NodePort", [{ name: "p2p", port: 30303, nodePort: 30100 }, { name: "tm-p2p", port: 9000 }]),
            service("v1", "ClusterIP", [{ name: "rpc", port: 8545 }]),
            service("m1-external", "NodePort", [{ name: "p2p", port: 30303 }]),
            configMap("peers", {}),
        ];
        assert.deepEqual(unknownNodePorts(objects), [
            { service: "org-a/v1-external", port: "tm-p2p" },
            { service: "org-a/m1-external", port: "p2p" },
        ]);
    });
});
