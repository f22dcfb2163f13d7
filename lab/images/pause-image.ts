/**
 * qstack-lab/pause: the sandbox (infra) container every pod starts first. containerd cannot
 * pull registry.k8s.io/pause here, so the Kubernetes source's own build/pause/linux/pause.c
 * (in the k8s.io/kubernetes module the lab already builds kubectl from) is compiled the way its
 * Makefile does (`gcc -Os -Wall -Werror -static -DVERSION=v<TAG>-<REV>`) into an image laid out
 * like upstream's Dockerfile: /pause only, USER 65535:65535, Entrypoint ["/pause"]. The tag is
 * the Makefile's TAG, the pause version that source is.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { assertStatic } from "./host-libs";
import type { ImageSpec } from "./oci-layout";
import { labLabels, Recipe, RecipeContext } from "./recipe";
import { DEFAULT_PATH } from "./rootfs";

const K8S_TOOLS_MODULE = resolve(__dirname, "..", "toolchain", "tools", "kubernetes");

/** The Go environment ensure.sh builds with, so `go list` sees the same module cache. */
function goEnv(): NodeJS.ProcessEnv {
    const cache = process.env.QSTACK_CACHE ?? join(process.env.HOME ?? "/root", ".cache", "qstack");
    const gopath = process.env.GOPATH ?? join(cache, "go");
    return {
        ...process.env,
        GOPATH: gopath,
        GOMODCACHE: process.env.GOMODCACHE ?? join(gopath, "pkg", "mod"),
        GOFLAGS: process.env.GOFLAGS ?? "-mod=readonly",
        GOTOOLCHAIN: process.env.GOTOOLCHAIN ?? "local",
    };
}

/** Directory and version of the k8s.io/kubernetes module the lab's tools module requires. */
export function kubernetesModule(log: RecipeContext["log"]): { dir: string; version: string } {
    const list = () =>
        execFileSync("go", ["list", "-m", "-f", "{{.Version}}|{{.Dir}}", "k8s.io/kubernetes"], { cwd: K8S_TOOLS_MODULE, env: goEnv(), encoding: "utf8" })
            .trim()
            .split("|");
    let [version, dir] = list();
    if (!dir || !existsSync(dir)) {
        log(`go mod download k8s.io/kubernetes@${version} (for build/pause)`);
        execFileSync("go", ["mod", "download", "k8s.io/kubernetes"], { cwd: K8S_TOOLS_MODULE, env: goEnv(), stdio: ["ignore", 2, 2] });
        [version, dir] = list();
    }
    if (!dir || !existsSync(join(dir, "build", "pause", "linux", "pause.c"))) throw new Error(`k8s.io/kubernetes module has no build/pause/linux/pause.c (dir "${dir}")`);
    return { dir, version };
}

export const pauseRecipe: Recipe = {
    id: "pause",
    build(ctx: RecipeContext): ImageSpec {
        const k8s = kubernetesModule(ctx.log);
        const pauseDir = join(k8s.dir, "build", "pause");
        const tag = /^TAG \?= *(\S+)\s*$/m.exec(readFileSync(join(pauseDir, "Makefile"), "utf8"))?.[1];
        if (!tag) throw new Error(`no "TAG ?=" line in ${pauseDir}/Makefile`);
        const outDir = join(ctx.workDir, "pause");
        mkdirSync(outDir, { recursive: true });
        const binary = join(outDir, "pause");
        // REV is `git describe --contains` upstream, i.e. the Kubernetes tag; the module version is that tag.
        execFileSync("gcc", ["-Os", "-Wall", "-Werror", "-static", `-DVERSION=v${tag}-${k8s.version}`, "-o", binary, join(pauseDir, "linux", "pause.c")], { stdio: ["ignore", 2, 2] });
        assertStatic(binary, "pause");
        const printed = execFileSync(binary, ["-v"], { encoding: "utf8" }).trim();
        ctx.log(`pause: compiled ${printed} from k8s.io/kubernetes@${k8s.version}`);
        return {
            name: "qstack-lab/pause",
            tag,
            rootfs: [{ kind: "file", path: "/pause", source: binary, mode: 0o755 }],
            config: {
                entrypoint: ["/pause"],
                env: [`PATH=${DEFAULT_PATH}`],
                user: "65535:65535",
                workingDir: "/",
                labels: labLabels("qstack-lab/pause", tag, `pause ${tag} compiled by the qstack lab from build/pause/linux/pause.c of k8s.io/kubernetes@${k8s.version}`),
            },
            createdBy: "qstack lab/images/pause-image.ts",
        };
    },
};
