/**
 * qstack-lab/kubectl: the lab's kubectl (lab/toolchain/tools/kubernetes, CGO_ENABLED=0) at
 * /bin/kubectl with busybox, Entrypoint ["/bin/kubectl"] as registry.k8s.io/kubectl. The
 * acceptance Job runs it as `kubectl` from PATH, as uid 65532 (distroless "nonroot") with
 * HOME=/tmp, so that user is in /etc/passwd too.
 */
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { busyboxRootfs } from "./busybox";
import { assertStatic } from "./host-libs";
import type { ImageSpec } from "./oci-layout";
import { labLabels, Recipe, RecipeContext } from "./recipe";
import { baseRootfs, DEFAULT_PATH, hostFile, LAB_USER, NONROOT_USER, ROOT_USER } from "./rootfs";

/** gitVersion of `kubectl version --client -o json`, e.g. v1.36.5. */
export function kubectlVersionOf(kubectl: string): string {
    const out = execFileSync(kubectl, ["version", "--client", "-o", "json"], { encoding: "utf8" });
    const v = (JSON.parse(out) as { clientVersion?: { gitVersion?: string } }).clientVersion?.gitVersion;
    if (!v || !/^v\d+\.\d+\.\d+/.test(v)) throw new Error(`${kubectl} reports no usable version: ${out}`);
    return v;
}

export const kubectlRecipe: Recipe = {
    id: "kubectl",
    build(ctx: RecipeContext): ImageSpec {
        const kubectl = join(ctx.toolBin("kubernetes"), "kubectl");
        assertStatic(kubectl, "kubectl");
        const version = kubectlVersionOf(kubectl);
        return {
            name: "qstack-lab/kubectl",
            tag: version,
            rootfs: [...baseRootfs([ROOT_USER, LAB_USER, NONROOT_USER]), ...busyboxRootfs(ctx.busybox.binary), hostFile("/bin/kubectl", kubectl, 0o755)],
            config: {
                entrypoint: ["/bin/kubectl"],
                env: [`PATH=${DEFAULT_PATH}`],
                user: `${NONROOT_USER.uid}:${NONROOT_USER.gid}`,
                workingDir: "/",
                labels: labLabels("qstack-lab/kubectl", version, `kubectl ${version} built by the qstack lab from the k8s.io/kubernetes module, on Debian busybox-static ${ctx.busybox.version}`),
            },
            createdBy: "qstack lab/images/kubectl-image.ts",
        };
    },
};
