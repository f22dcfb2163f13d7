import assert from "node:assert/strict";
import { resolveConfig } from "../../../core/config/resolve-config";
import { QstackError } from "../../../core/errors";
import { buildNetworkPolicySpec } from "../../../core/k8s/network-policy";
import { buildExternalServiceSpec } from "../../../core/k8s/nodes/node-services";

const base = { org: "org-a", nodes: [{ name: "v1" }] };
const partners = [
    { org: "org-b", nodeIp: "198.51.100.20" },
    { org: "org-c", nodeIp: "203.0.113.30" },
];

describe("core/k8s/network-policy", () => {
    it("admits every pod of the namespace on every port", () => {
        const spec = buildNetworkPolicySpec(resolveConfig(base), partners) as any;
        assert.deepEqual(spec.ingress[0], { from: [{ podSelector: {} }] });
        assert.deepEqual(spec.policyTypes, ["Ingress"]);
    });

    it("by default admits only the partners' exported node IPs, and only on p2p and Tessera P2P", () => {
        const spec = buildNetworkPolicySpec(resolveConfig(base), partners) as any;
        assert.equal(spec.ingress.length, 2);
        assert.deepEqual(spec.ingress[1].from, [{ ipBlock: { cidr: "198.51.100.20/32" } }, { ipBlock: { cidr: "203.0.113.30/32" } }]);
        assert.deepEqual(spec.ingress[1].ports.map((p: any) => p.port), [30303, 9000]);
    });

    it("adds the raft port for raft networks", () => {
        const spec = buildNetworkPolicySpec(resolveConfig({ ...base, consensus: "raft" }), partners) as any;
        assert.deepEqual(spec.ingress[1].ports.map((p: any) => p.port), [30303, 9000, 50400]);
    });

    it("with no partner yet, admits nobody from outside (an empty `from` would admit everyone)", () => {
        const spec = buildNetworkPolicySpec(resolveConfig(base), []) as any;
        assert.equal(spec.ingress.length, 1);
    });

    it("adds allowCidrs to the allowlist", () => {
        const config = resolveConfig({ ...base, networkPolicy: { allowCidrs: ["192.0.2.0/24"] } });
        const spec = buildNetworkPolicySpec(config, []) as any;
        assert.deepEqual(spec.ingress[1].from, [{ ipBlock: { cidr: "192.0.2.0/24" } }]);
    });

    it("admits any source on the external ports with externalFrom: anywhere", () => {
        const spec = buildNetworkPolicySpec(resolveConfig({ ...base, networkPolicy: { externalFrom: "anywhere" } }), partners) as any;
        assert.equal(spec.ingress[1].from, undefined);
        assert.deepEqual(spec.ingress[1].ports.map((p: any) => p.port), [30303, 9000]);
    });

    it("refuses a partner that exports a DNS name unless allowCidrs covers it, naming the partner and the fix", () => {
        const dns = [{ org: "org-b", nodeIp: "nodes.org-b.example.com" }];
        assert.throws(
            () => buildNetworkPolicySpec(resolveConfig(base), dns),
            (e: unknown) =>
                e instanceof QstackError &&
                /qstack:networkPolicy.externalFrom: partner org-b exports the DNS name nodes.org-b.example.com.*allowed: list the partner's addresses in networkPolicy.allowCidrs/.test(e.message),
        );
        const withCidrs = resolveConfig({ ...base, networkPolicy: { allowCidrs: ["198.51.100.0/24"] } });
        assert.deepEqual((buildNetworkPolicySpec(withCidrs, dns) as any).ingress[1].from, [{ ipBlock: { cidr: "198.51.100.0/24" } }]);
    });

    it("admits a partner's IPv6 node IP as a /128", () => {
        const spec = buildNetworkPolicySpec(resolveConfig(base), [{ org: "org-b", nodeIp: "2001:db8::7" }]) as any;
        assert.deepEqual(spec.ingress[1].from, [{ ipBlock: { cidr: "2001:db8::7/128" } }]);
    });

    it("selects only the org's GoQuorum pods, never add-ons such as Cakeshop or Prometheus", () => {
        const spec = buildNetworkPolicySpec(resolveConfig(base), partners) as any;
        assert.equal(spec.podSelector.matchLabels["app.kubernetes.io/name"], "goquorum");
        assert.equal(spec.podSelector.matchLabels["qstack.io/org"], "org-a");
    });

    it("keeps client source IPs on the external Services when the allowlist is on, so the policy can match them", () => {
        const on = resolveConfig(base);
        assert.equal((buildExternalServiceSpec(on, on.nodes[0]) as any).externalTrafficPolicy, "Local");
        const anywhere = resolveConfig({ ...base, networkPolicy: { externalFrom: "anywhere" } });
        assert.equal((buildExternalServiceSpec(anywhere, anywhere.nodes[0]) as any).externalTrafficPolicy, "Cluster");
        const off = resolveConfig({ ...base, networkPolicy: { enabled: false } });
        assert.equal((buildExternalServiceSpec(off, off.nodes[0]) as any).externalTrafficPolicy, "Cluster");
    });

    it("refuses a malformed allowCidrs entry before anything is deployed", () => {
        assert.throws(
            () => resolveConfig({ ...base, networkPolicy: { allowCidrs: ["10.0.0.300/8", "10.0.0.0"] } }),
            /networkPolicy.allowCidrs\[0\]: not an IPv4 CIDR \(got "10.0.0.300\/8"\)[\s\S]*allowCidrs\[1\]/,
        );
    });

    describe("a partner in the same cluster (its exported node IP is ours)", () => {
        const sameCluster = [...partners, { org: "org-lib", nodeIp: "10.0.0.5", namespace: "org-lib" }];
        const nodePods = (org: string) => ({ "app.kubernetes.io/part-of": "qstack", "app.kubernetes.io/name": "goquorum", "qstack.io/org": org });

        it("admits its node pods by their org labels in its namespace, since their traffic keeps the pod address", () => {
            const spec = buildNetworkPolicySpec(resolveConfig(base), sameCluster, "10.0.0.5") as any;
            assert.deepEqual(spec.ingress[1].from.slice(-1), [
                { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "org-lib" } }, podSelector: { matchLabels: nodePods("org-lib") } },
            ]);
            assert.deepEqual(spec.ingress[1].ports.map((p: any) => p.port), [30303, 9000]);
        });

        it("still lists partners in other clusters by node IP only", () => {
            const spec = buildNetworkPolicySpec(resolveConfig(base), sameCluster, "10.0.0.5") as any;
            const ipBlocks = spec.ingress[1].from.filter((f: any) => f.ipBlock).map((f: any) => f.ipBlock.cidr);
            assert.deepEqual(ipBlocks, ["10.0.0.5/32", "198.51.100.20/32", "203.0.113.30/32"]);
            assert.equal(spec.ingress[1].from.filter((f: any) => f.podSelector).length, 1);
        });

        it("selects the partner's pods in any namespace when its export names none (exports before the namespace field)", () => {
            const spec = buildNetworkPolicySpec(resolveConfig(base), [{ org: "org-old", nodeIp: "10.0.0.5" }], "10.0.0.5") as any;
            assert.deepEqual(spec.ingress[1].from[1], { namespaceSelector: {}, podSelector: { matchLabels: nodePods("org-old") } });
        });

        it("adds no pod rule when this organization's node IP is not known before deployment", () => {
            const spec = buildNetworkPolicySpec(resolveConfig(base), sameCluster) as any;
            assert.equal(spec.ingress[1].from.filter((f: any) => f.podSelector).length, 0);
        });
    });
});
