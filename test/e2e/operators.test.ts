/**
 * Issue 7 in the lab: the operator add-ons against the real engine and real API servers.
 *
 * This suite stays on the simulated (kwok) clusters because it turns on every add-on, and the
 * lab cannot build Grafana's or Cakeshop's images (their front ends are npm builds with no
 * sources here): on a real node their pods would never start and `pulumi up` would wait for them.
 * kwok runs no containers, so what this proves is the Kubernetes side: the objects are valid
 * for a real API server, they converge to an empty preview, `qctl test` creates a run from the
 * template and reads its Job conditions (kwok's pod-complete stage plays the pod succeeding),
 * and `qctl status` / `qctl geth exec` reach each node's geth container through the API
 * server's exec (kwok serves the kubelet API and answers with a recorded-console stand-in geth).
 *
 * The same features on running pods are proven by the real-* suites: `qctl test`, `qctl status`,
 * `qctl geth exec` and Prometheus' scraping in real-chain, the rolling upgrade in real-upgrade,
 * the NetworkPolicy with real traffic in real-nodes.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { dump, load } from "js-yaml";
import { names } from "../../core/k8s/labels";
import { qctl } from "../helpers/qctl";
import { simulatedLab } from "./lab-helpers";

const { kubectl, kubectlJson, previewChanges, stack, projectDir: PROJECT_DIR } = simulatedLab;

describe("lab: operator add-ons (monitoring, explorer, acceptance test, network policy)", () => {
    const file = join(PROJECT_DIR, "Pulumi.clusterB.yaml");
    let original: string;

    before(async function () {
        await simulatedLab.converged();
        original = readFileSync(file, "utf8");
        const doc = load(original) as { config: Record<string, any> };
        doc.config["qstack:acceptanceTest"] = { enabled: true };
        doc.config["qstack:explorer"] = { enabled: true };
        doc.config["qstack:monitoring"] = { prometheus: true, grafana: true };
        writeFileSync(file, dump(doc));
        await (await stack("clusterB")).up();
    });

    after(async function () {
        writeFileSync(file, original);
        await (await stack("clusterB")).up();
    });

    it("the API server accepts every add-on object, and the stack previews empty afterwards", async () => {
        for (const [kind, name] of [
            ["cronjob", names.acceptance], ["serviceaccount", names.acceptance], ["role", names.acceptance], ["rolebinding", names.acceptance],
            ["deployment", names.explorer], ["service", names.explorer],
            ["deployment", names.prometheus], ["service", names.prometheus], ["deployment", names.grafana], ["service", names.grafana],
        ]) {
            kubectl("b", "-n", "org-b", "get", kind, name);
        }
        const cron = kubectlJson("b", "-n", "org-b", "get", "cronjob", names.acceptance);
        assert.equal(cron.spec.suspend, true);
        assert.deepEqual(await previewChanges("clusterB"), {});
    });

    it("the acceptance Job's account may exec into the sending pod only (real RBAC authorizer)", () => {
        const can = (...args: string[]) => {
            try {
                return kubectl("b", "auth", "can-i", ...args, "-n", "org-b", `--as=system:serviceaccount:org-b:${names.acceptance}`).trim();
            } catch (e) {
                return String((e as { stdout?: string }).stdout ?? "").trim(); // "no" exits 1
            }
        };
        const sender = names.pod("b-validator1");
        assert.equal(can("create", `pods/${sender}`, "--subresource=exec"), "yes");
        assert.equal(can("get", `pods/${sender}`), "yes");
        assert.equal(can("create", `pods/${names.pod("b-member1")}`, "--subresource=exec"), "no");
        assert.equal(can("create", "pods", "--subresource=exec"), "no");
        assert.equal(can("get", "secrets"), "no");
        assert.equal(can("create", "pods"), "no");
    });

    it("qctl test runs the Job from the template and reports its Complete condition as PASS; the run never shows in a preview", async () => {
        const r = await qctl("test", "-s", "clusterB", "--cwd", PROJECT_DIR, "--json", "--poll-seconds", "1");
        const result = JSON.parse(r.out);
        assert.equal(result.result, "pass", r.err + r.out);
        assert.equal(r.code, 0);
        const job = kubectlJson("b", "-n", "org-b", "get", "job", result.job);
        assert.equal(job.metadata.ownerReferences[0].kind, "CronJob");
        assert.equal(job.spec.template.spec.containers[0].args[3], names.pod("b-validator1"));
        assert.deepEqual(await previewChanges("clusterB"), {});
    });

    it("qctl status reaches every node's geth container through the real API server's exec (lab stand-in geth answers)", async () => {
        const r = await qctl("status", "-s", "clusterB", "--cwd", PROJECT_DIR, "--json");
        const rows = JSON.parse(r.out) as { node: string; pod: string; block?: number; peers?: number; tessera: string; healthy: boolean }[];
        const doc = load(original) as { config: Record<string, any> };
        assert.deepEqual(rows.map((x) => x.node), doc.config["qstack:nodes"].map((n: any) => n.name));
        for (const row of rows) {
            // 42 and 3 are the lab stand-in's fixed answers (lab/clusters.sh pod_shim), not a chain's.
            assert.deepEqual([row.pod, row.block, row.peers, row.tessera, row.healthy], ["Running", 42, 3, "up", true], JSON.stringify(row));
        }
        assert.equal(r.code, 0, r.err);
    });

    it("qctl geth exec runs a console expression in the node's geth container through the real API server", () => {
        const out = execFileSync("node", ["bin/qctl", "geth", "exec", "b-validator1", "eth.blockNumber", "-s", "clusterB", "--cwd", PROJECT_DIR], { encoding: "utf8" });
        assert.equal(out.trim(), "42");
        // The API server itself checks the container name qctl uses.
        assert.throws(
            () => kubectl("b", "-n", "org-b", "exec", names.pod("b-validator1"), "-c", "geth", "--", "true"),
            /container geth is not valid for pod b-validator1-0/,
        );
    });

    it("an image upgrade rolls the nodes one at a time: each StatefulSet update starts after the previous one finished (real engine)", async () => {
        const fileA = join(PROJECT_DIR, "Pulumi.clusterA.yaml");
        const originalA = readFileSync(fileA, "utf8");
        const doc = load(originalA) as { config: Record<string, any> };
        doc.config["qstack:quorum"] = { version: "24.4.0" };
        writeFileSync(fileA, dump(doc));
        const timeline: string[] = [];
        try {
            await (await stack("clusterA")).up({
                onEvent: (e) => {
                    const pre = e.resourcePreEvent?.metadata;
                    const done = e.resOutputsEvent?.metadata;
                    if (pre?.type === "kubernetes:apps/v1:StatefulSet" && pre.op === "update") timeline.push(`start ${pre.urn.split("::").pop()}`);
                    if (done?.type === "kubernetes:apps/v1:StatefulSet" && done.op === "update") timeline.push(`done ${done.urn.split("::").pop()}`);
                },
            });
        } finally {
            writeFileSync(fileA, originalA);
            await (await stack("clusterA")).up();
        }
        process.stderr.write(`      rollout: ${timeline.join(", ")}\n`);
        const nodes = (load(originalA) as { config: Record<string, any> }).config["qstack:nodes"].map((n: any) => `org-a-${n.name}-sts`);
        assert.deepEqual(timeline, nodes.flatMap((n: string) => [`start ${n}`, `done ${n}`]));
        for (const n of nodes) {
            const pod = kubectlJson("a", "-n", "org-a", "get", "statefulset", n.replace(/^org-a-(.*)-sts$/, "$1")).spec.template.spec;
            assert.deepEqual(pod.nodeSelector, { "kubernetes.io/hostname": "lab-a-node" }, "pinned to the node whose IP is exported");
        }
    });

    it("each cluster's NetworkPolicy admits the other's exported node IP only, and the external Services keep source IPs", () => {
        for (const [cluster, ns, partnerIp] of [["a", "org-a", "127.0.20.1/32"], ["b", "org-b", "127.0.10.1/32"]] as const) {
            const policy = kubectlJson(cluster, "-n", ns, "get", "networkpolicy", names.networkPolicy);
            assert.deepEqual(policy.spec.ingress[1].from, [{ ipBlock: { cidr: partnerIp } }]);
            const services = kubectlJson(cluster, "-n", ns, "get", "services").items.filter((s: any) => s.spec.type === "NodePort");
            assert.ok(services.length > 0);
            for (const s of services) assert.equal(s.spec.externalTrafficPolicy, "Local", s.metadata.name);
        }
    });
});
