/**
 * qstack-lab/quorum: GoQuorum's geth and bootnode (lab/toolchain/tools/quorum, linked
 * statically) in /usr/local/bin on busybox, Entrypoint ["geth"] as in quorumengineering/quorum.
 * The node pod's geth-init and reconciler containers run `/bin/sh -c` scripts in this image,
 * and `qctl`/the acceptance Job exec `sh -c` in it, hence the full busybox applet set.
 */
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { busyboxRootfs } from "./busybox";
import { assertStatic } from "./host-libs";
import type { ImageSpec } from "./oci-layout";
import { labLabels, Recipe, RecipeContext } from "./recipe";
import { baseRootfs, DEFAULT_PATH, hostFile, LAB_USER } from "./rootfs";

/** "Quorum Version: 24.4.1" from `geth version`. */
export function quorumVersionOf(geth: string): string {
    const out = execFileSync(geth, ["version"], { encoding: "utf8" });
    const m = /^Quorum Version: (\S+)$/m.exec(out);
    if (!m) throw new Error(`${geth} version printed no "Quorum Version:" line:\n${out}`);
    return m[1];
}

export const quorumRecipe: Recipe = {
    id: "quorum",
    build(ctx: RecipeContext): ImageSpec {
        const bin = ctx.toolBin("quorum");
        const geth = join(bin, "geth");
        const bootnode = join(bin, "bootnode");
        assertStatic(geth, "geth");
        assertStatic(bootnode, "bootnode");
        const version = quorumVersionOf(geth);
        return {
            name: "qstack-lab/quorum",
            tag: version,
            rootfs: [
                ...baseRootfs(),
                ...busyboxRootfs(ctx.busybox.binary),
                hostFile("/usr/local/bin/geth", geth, 0o755),
                hostFile("/usr/local/bin/bootnode", bootnode, 0o755),
            ],
            config: {
                entrypoint: ["geth"],
                env: [`PATH=${DEFAULT_PATH}`],
                user: `${LAB_USER.uid}:${LAB_USER.gid}`,
                workingDir: "/",
                labels: labLabels(
                    "qstack-lab/quorum",
                    version,
                    `GoQuorum ${version} geth and bootnode built by the qstack lab from the upstream source archive, on Debian busybox-static ${ctx.busybox.version}`,
                ),
            },
            createdBy: "qstack lab/images/quorum-image.ts",
        };
    },
};
