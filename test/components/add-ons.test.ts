/**
 * The optional add-ons of an organization (components/monitoring.ts, explorer.ts,
 * acceptance-test.ts) under Pulumi mocks: what each declares, and that none is there by default.
 */
import assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { names } from "../../core/k8s/labels";
import { ofType, recorded } from "../helpers/mocks";
import { evaluateOrganization, type Evaluation } from "../helpers/organization";

const ADD_ONS = { monitoring: { prometheus: true, grafana: true }, explorer: { enabled: true }, acceptanceTest: { enabled: true } };
/** Pulumi's marker for a secret value on the wire. */
const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const childrenOf = (type: string) => recorded.filter((r) => r.type === type);
const byName = (type: string, name: string) => ofType(type).find((r) => r.name === name)!;

describe("components: add-ons (Pulumi mocks)", () => {
    it("declares no add-on by default", async () => {
        await evaluateOrganization();
        for (const t of ["qstack:index:Monitoring", "qstack:index:Explorer", "qstack:index:AcceptanceTest", "kubernetes:apps/v1:Deployment", "kubernetes:batch/v1:CronJob"]) {
            assert.equal(childrenOf(t).length, 0, t);
        }
    });

    describe("all enabled", () => {
        let e: Evaluation;
        before(async () => {
            e = await evaluateOrganization(ADD_ONS);
        });

        it("declares each add-on as a component with children named after it", () => {
            const got = recorded.filter((r) => /-(monitoring|explorer|acceptance)/.test(r.name)).map((r) => `${r.type} ${r.name}`).sort();
            assert.deepEqual(got, [
                "kubernetes:apps/v1:Deployment org-a-explorer-deployment",
                "kubernetes:apps/v1:Deployment org-a-monitoring-grafana",
                "kubernetes:apps/v1:Deployment org-a-monitoring-prometheus",
                "kubernetes:batch/v1:CronJob org-a-acceptance-template",
                "kubernetes:core/v1:ConfigMap org-a-explorer-nodes",
                "kubernetes:core/v1:ConfigMap org-a-monitoring-grafana-dashboards",
                "kubernetes:core/v1:ConfigMap org-a-monitoring-grafana-provisioning",
                "kubernetes:core/v1:ConfigMap org-a-monitoring-prometheus-config",
                "kubernetes:core/v1:Secret org-a-monitoring-grafana-admin",
                "kubernetes:core/v1:Service org-a-explorer-service",
                "kubernetes:core/v1:Service org-a-monitoring-grafana-service",
                "kubernetes:core/v1:Service org-a-monitoring-prometheus-service",
                "kubernetes:core/v1:ServiceAccount org-a-acceptance-sa",
                "kubernetes:core/v1:ServiceAccount org-a-monitoring-prometheus-sa",
                "kubernetes:rbac.authorization.k8s.io/v1:Role org-a-acceptance-role",
                "kubernetes:rbac.authorization.k8s.io/v1:Role org-a-monitoring-prometheus-role",
                "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding org-a-acceptance-binding",
                "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding org-a-monitoring-prometheus-binding",
                "qstack:index:AcceptanceTest org-a-acceptance",
                "qstack:index:Explorer org-a-explorer",
                "qstack:index:Monitoring org-a-monitoring",
                "random:index/randomPassword:RandomPassword org-a-monitoring-grafana-admin",
            ]);
        });

        it("generates the Grafana admin password as a Pulumi secret, written to the Secret only", async () => {
            assert.equal(await pulumi.isSecret(e.org.monitoring!.grafanaAdminSecret!.stringData), true);
            const wire = byName("kubernetes:core/v1:Secret", "org-a-monitoring-grafana-admin").inputs.stringData;
            assert.equal(wire[SECRET_SIG], "1b47061264138c4ac30d75fd1eb44270", "sent to the engine as a secret");
            const password: string = wire.value["admin-password"];
            assert.equal(password.length, 32);
            const elsewhere = recorded.filter((r) => !/grafana-admin$/.test(r.name) && JSON.stringify(r.inputs).includes(password));
            assert.deepEqual(elsewhere.map((r) => r.name), []);
            const grafana = byName("kubernetes:apps/v1:Deployment", "org-a-monitoring-grafana").inputs.spec.template.spec.containers[0];
            assert.deepEqual(grafana.env.find((v: any) => v.name === "GF_SECURITY_ADMIN_PASSWORD").valueFrom.secretKeyRef, { name: names.grafanaAdminSecret, key: "admin-password", optional: false });
        });

        it("points Cakeshop at every node of the org by Service DNS name", () => {
            const file = JSON.parse(byName("kubernetes:core/v1:ConfigMap", "org-a-explorer-nodes").inputs.data["cakeshop-nodes.json"]);
            assert.deepEqual(file.map((n: any) => n.rpcUrl), ["m1", "v1", "v2", "v3"].map((n) => `http://${n}.org-a.svc:8545`));
        });

        it("the acceptance test sends from the first Tessera node, privately to the second node's Tessera key", () => {
            const cron = byName("kubernetes:batch/v1:CronJob", "org-a-acceptance-template").inputs.spec;
            const args: string[] = cron.jobTemplate.spec.template.spec.containers[0].args;
            assert.deepEqual(args.slice(0, 8), ["exec", "-n", "org-a", "v1-0", "-c", "quorum", "--", "sh"]);
            const script = args[9];
            assert.ok(script.includes(`RECIPIENT_KEY='${e.externalNodes.nodes[1].tesseraPublicKey}'`));
            assert.ok(script.includes("CHECKS='v1:party v2:party v3:outsider m1:outsider'"));
            assert.deepEqual(
                byName("kubernetes:rbac.authorization.k8s.io/v1:Role", "org-a-acceptance-role").inputs.rules.map((r: any) => r.resourceNames),
                [["v1-0"], ["v1-0"]],
            );
        });

        it("puts no private key of a node into any add-on object", () => {
            const addOnInputs = JSON.stringify(recorded.filter((r) => /-(monitoring|explorer|acceptance)/.test(r.name) && r.type !== "kubernetes:core/v1:Secret").map((r) => r.inputs));
            for (const s of e.secrets) {
                for (const value of [s.nodeKey, s.accountPassword, s.tesseraPrivateKey]) assert.ok(!addOnInputs.includes(value));
            }
        });
    });

    it("refuses Grafana without Prometheus, and an acceptance sender without Tessera, before declaring anything", async () => {
        await assert.rejects(evaluateOrganization({ monitoring: { grafana: true } }), /qstack:monitoring.grafana: Grafana needs the in-namespace Prometheus/);
        await assert.rejects(
            evaluateOrganization({ acceptanceTest: { enabled: true, node: "m1" }, nodes: [{ name: "v1" }, { name: "m1", role: "member", tessera: false }] }),
            /qstack:acceptanceTest.node: the sending node must run Tessera .*\(got "m1"\); allowed: v1/,
        );
    });
});
