/**
 * The monitoring add-on's prometheus.yml against the config loader of the very Prometheus
 * version qstack deploys: `promtool check config` from the lab toolchain
 * (lab/toolchain/tools/prometheus, built from the Go module of the same release as
 * DEFAULTS.prometheusImage). promtool loads the file with Prometheus' own config package, so
 * unknown keys, unknown relabel actions, bad regexes, durations and SD options are refused as
 * the server would refuse them at startup.
 *
 * Needs no cluster: it builds (first time) or finds only promtool, and never starts the lab.
 *
 * The check is the full one, not `--syntax-only`: the generated config references no file
 * (no bearer_token_file, no TLS files; kubernetes_sd_configs without api_server uses the pod's
 * in-cluster credentials, which Prometheus reads only when discovery starts, not when it loads
 * the config), so nothing on this machine has to stand in for the pod's token.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { toolchainPath } from "../../lab/lab-env";
import { DEFAULTS } from "../../core/config/schema";
import { buildGrafanaDashboard } from "../../core/k8s/addons/grafana-dashboard";
import { buildPrometheusConfig } from "../../core/k8s/addons/prometheus";
import { imageTag } from "../../core/k8s/labels";

describe("lab: the generated prometheus.yml passes promtool of the deployed Prometheus version", () => {
    let path: string;
    let dir: string;

    const promtool = (...args: string[]) => {
        const r = spawnSync("promtool", args, { encoding: "utf8", env: { ...process.env, PATH: path } });
        if (r.error) throw r.error; // e.g. ENOENT: fail, never skip
        return { code: r.status, out: r.stdout, err: r.stderr };
    };

    /** Writes `text` to a temp file and runs the full `check config` on it, lint findings fatal. */
    const check = (name: string, text: string) => {
        const file = join(dir, name);
        writeFileSync(file, text);
        return promtool("check", "config", "--lint=all", "--lint-fatal", file);
    };

    before(function () {
        path = toolchainPath(["prometheus"]); // the lab's own ensure.sh, same cache and recipe key
        dir = mkdtempSync(join(tmpdir(), "qstack-promtool-"));
    });

    after(() => {
        if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it("promtool is the release of DEFAULTS.prometheusImage", () => {
        const r = promtool("--version");
        assert.equal(r.code, 0, r.err);
        const release = imageTag(DEFAULTS.prometheusImage).replace(/^v/, ""); // "3.13.2"
        assert.match(r.out + r.err, new RegExp(`^promtool, version ${release.replace(/\./g, "\\.")} `, "m"));
    });

    for (const org of ["org-a", "org-b"]) {
        it(`accepts buildPrometheusConfig({org: "${org}", namespace: "${org}"})`, () => {
            const r = check(`${org}.yml`, buildPrometheusConfig({ org, namespace: org }));
            assert.equal(r.code, 0, `promtool rejected the generated config:\n${r.out}${r.err}`);
            assert.match(r.out, /SUCCESS: .* is valid prometheus config file syntax/);
        });
    }

    it("every Grafana dashboard query parses as PromQL (as recording rules: promtool check rules)", () => {
        const dashboard = buildGrafanaDashboard("org-a") as { panels: { targets?: { expr: string }[] }[] };
        const exprs = dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr));
        assert.ok(exprs.length >= 6, "the dashboard has queries");
        const rules = { groups: [{ name: "qstack-dashboard", rules: exprs.map((expr, i) => ({ record: `qstack:dashboard_query_${i}`, expr })) }] };
        const file = join(dir, "dashboard-rules.yml");
        writeFileSync(file, JSON.stringify(rules));
        const r = promtool("check", "rules", file);
        assert.equal(r.code, 0, `promtool rejected a dashboard query:\n${r.out}${r.err}`);
        assert.match(r.out, new RegExp(`SUCCESS: ${exprs.length} rules found`));
        // Control: promtool does parse the expressions (an unbalanced one fails).
        writeFileSync(file, JSON.stringify({ groups: [{ name: "g", rules: [{ record: "r", expr: "max by (node (up)" }] }] }));
        assert.equal(promtool("check", "rules", file).code, 1);
    });

    it("negative control: the same config with one relabel action misspelled is rejected", () => {
        const config = JSON.parse(buildPrometheusConfig({ org: "org-a", namespace: "org-a" })) as {
            scrape_configs: { relabel_configs: { action?: string }[] }[];
        };
        const keepequal = config.scrape_configs.flatMap((s) => s.relabel_configs).filter((r) => r.action === "keepequal");
        assert.equal(keepequal.length, 1, "the control needs exactly one keepequal rule to misspell");
        keepequal[0].action = "keep_equal";
        const r = check("misspelled.yml", `${JSON.stringify(config, null, 2)}\n`);
        assert.equal(r.code, 1, `promtool accepted a config with an unknown relabel action:\n${r.out}${r.err}`);
        assert.match(r.err, /unknown relabel action "keep_equal"/);
        assert.doesNotMatch(r.out, /SUCCESS/);
    });
});
