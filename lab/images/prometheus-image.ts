/**
 * qstack-lab/prometheus: the lab's Prometheus server and promtool (lab/toolchain/tools/prometheus,
 * CGO_ENABLED=0) laid out as upstream's prom/prometheus Dockerfile does: /bin/prometheus and
 * /bin/promtool on busybox, /etc/prometheus and /prometheus owned by nobody, USER nobody,
 * WORKDIR /prometheus, Entrypoint ["/bin/prometheus"] with the same default Cmd. The monitoring
 * add-on (core/k8s/addons/prometheus.ts) passes its own flags and mounts its ConfigMap over
 * /etc/prometheus, as it does with the upstream image.
 *
 * Two differences from upstream's image: only the Kubernetes service discovery is built in (the
 * one qstack's prometheus.yml uses; see the recipe), and no web UI. The UI's assets are an npm build that the Go
 * module does not carry, so this server answers 404 for the UI pages; the HTTP API, the health
 * endpoints and /metrics, all that qstack and the lab use, are the release's own code.
 */
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { busyboxRootfs } from "./busybox";
import { assertStatic } from "./host-libs";
import type { ImageSpec } from "./oci-layout";
import { labLabels, Recipe, RecipeContext } from "./recipe";
import { baseRootfs, DEFAULT_PATH, hostFile, ROOT_USER, type ImageUser } from "./rootfs";

/** The upstream image's `USER nobody` (core/k8s/addons/prometheus.ts PROMETHEUS_UID). */
export const NOBODY_USER: ImageUser = { name: "nobody", uid: 65534, gid: 65534, home: "/home" };

/** "3.13.2" from the first line of `prometheus --version` ("prometheus, version 3.13.2 (branch: …)"). */
export function prometheusVersionOf(prometheus: string): string {
    const out = execFileSync(prometheus, ["--version"], { encoding: "utf8" });
    const m = /^prometheus, version (\d+\.\d+\.\d+\S*) /m.exec(out);
    if (!m) throw new Error(`${prometheus} --version printed no "prometheus, version X" line:\n${out}`);
    return m[1];
}

export const prometheusRecipe: Recipe = {
    id: "prometheus",
    build(ctx: RecipeContext): ImageSpec {
        const bin = ctx.toolBin("prometheus");
        const prometheus = join(bin, "prometheus");
        const promtool = join(bin, "promtool");
        assertStatic(prometheus, "prometheus");
        assertStatic(promtool, "promtool");
        const version = prometheusVersionOf(prometheus);
        const nobody = { uid: NOBODY_USER.uid, gid: NOBODY_USER.gid };
        return {
            name: "qstack-lab/prometheus",
            tag: `v${version}`,
            rootfs: [
                ...baseRootfs([ROOT_USER, NOBODY_USER]),
                ...busyboxRootfs(ctx.busybox.binary),
                hostFile("/bin/prometheus", prometheus, 0o755),
                hostFile("/bin/promtool", promtool, 0o755),
                { kind: "dir", path: "/etc/prometheus", ...nobody },
                { kind: "dir", path: "/prometheus", ...nobody },
            ],
            config: {
                entrypoint: ["/bin/prometheus"],
                cmd: ["--config.file=/etc/prometheus/prometheus.yml", "--storage.tsdb.path=/prometheus"],
                env: [`PATH=${DEFAULT_PATH}`],
                user: `${NOBODY_USER.uid}:${NOBODY_USER.gid}`,
                workingDir: "/prometheus",
                labels: labLabels(
                    "qstack-lab/prometheus",
                    version,
                    `Prometheus ${version} server (API only, no web UI assets; Kubernetes service discovery only) and promtool built by the qstack lab from the github.com/prometheus/prometheus module, on Debian busybox-static ${ctx.busybox.version}`,
                ),
            },
            createdBy: "qstack lab/images/prometheus-image.ts",
        };
    },
};
