/**
 * qstack-lab/tessera: the lab's Tessera build (lab/toolchain/tools/tessera) on a jlinked JRE
 * (./jre.ts) with the host shared libraries it needs (./host-libs.ts) and busybox for the
 * start script's /bin/sh. Laid out as the node pod expects (core/k8s/nodes/node-pod.ts TESSERA_BIN):
 * /tessera/bin/tessera runs `java $JAVA_OPTS -jar /tessera/tessera-app.jar "$@"`, like
 * quorumengineering/tessera's start script, and is the Entrypoint. The JRE sits at
 * /opt/java/openjdk with JAVA_HOME and PATH set, as in the eclipse-temurin images upstream
 * builds on.
 *
 * LANG=C.UTF-8 with glibc's C.utf8 locale copied in: without a usable locale, Java 17 falls back
 * to ASCII for file.encoding and file names.
 */
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { busyboxRootfs } from "./busybox";
import { elfFilesUnder, hostLibrariesFor } from "./host-libs";
import { buildJre, hostJdk17, jdepsModules, SERVICE_MODULES } from "./jre";
import { ImageSpec, RootfsEntry, rootfsFromDirectory } from "./oci-layout";
import { labLabels, Recipe, RecipeContext } from "./recipe";
import { baseRootfs, DEFAULT_PATH, hostFile, LAB_USER } from "./rootfs";

export const JAVA_HOME = "/opt/java/openjdk";
export const TESSERA_JAR = "/tessera/tessera-app.jar";
export const TESSERA_START = "/tessera/bin/tessera";
const HOST_LOCALE = "/usr/lib/locale/C.utf8";

export const START_SCRIPT = `#!/bin/sh
# Starts the lab's Tessera build with the image's JRE; the same arguments as
# quorumengineering/tessera's bin/tessera. JAVA_OPTS is split into words on purpose.
exec "\${JAVA_HOME:-${JAVA_HOME}}/bin/java" \${JAVA_OPTS:-} -jar ${TESSERA_JAR} "$@"
`;

/** Tessera-Version from the jar's manifest (busybox unzip reads it; the JDK is not needed for that). */
export function tesseraVersionOf(jar: string, busybox: string): string {
    const manifest = execFileSync(busybox, ["unzip", "-p", jar, "META-INF/MANIFEST.MF"], { encoding: "utf8" });
    const m = /^Tessera-Version: *(\S+)\s*$/m.exec(manifest);
    if (!m) throw new Error(`${jar} has no Tessera-Version in its manifest`);
    return m[1];
}

export const tesseraRecipe: Recipe = {
    id: "tessera",
    build(ctx: RecipeContext): ImageSpec {
        const jar = join(ctx.toolBin("tessera"), "..", "lib", "tessera-app.jar");
        const version = tesseraVersionOf(jar, ctx.busybox.binary);
        const jdk = hostJdk17();
        const modules = [...jdepsModules(jdk, jar, ctx.workDir, ctx.log), ...SERVICE_MODULES];
        const jre = buildJre(jdk, modules, ctx.workDir, ctx.log);
        const libs = hostLibrariesFor(elfFilesUnder(jre), jre);
        ctx.log(`tessera: JRE ${jdk.runtimeVersion} (${modules.length} modules asked for), host libraries: ${libs.map((l) => l.imagePath).join(" ")}`);
        const rootfs: RootfsEntry[] = [
            ...baseRootfs(),
            ...busyboxRootfs(ctx.busybox.binary),
            { kind: "dir", path: JAVA_HOME },
            ...rootfsFromDirectory(jre, JAVA_HOME),
            ...libs.map((l) => hostFile(l.imagePath, l.hostPath)),
            ...rootfsFromDirectory(HOST_LOCALE, HOST_LOCALE),
            { kind: "dir", path: "/tessera" },
            { kind: "dir", path: "/tessera/bin" },
            hostFile(TESSERA_JAR, jar, 0o644),
            { kind: "file", path: TESSERA_START, content: START_SCRIPT, mode: 0o755 },
        ];
        return {
            name: "qstack-lab/tessera",
            tag: version,
            rootfs,
            config: {
                entrypoint: [TESSERA_START],
                env: [`PATH=${JAVA_HOME}/bin:${DEFAULT_PATH}`, `JAVA_HOME=${JAVA_HOME}`, "LANG=C.UTF-8"],
                user: `${LAB_USER.uid}:${LAB_USER.gid}`,
                workingDir: "/",
                labels: labLabels(
                    "qstack-lab/tessera",
                    version,
                    `Tessera ${version} built by the qstack lab from the upstream source archive, on a jlinked JRE ${jdk.runtimeVersion} with the host's glibc and Debian busybox-static ${ctx.busybox.version}`,
                ),
            },
            createdBy: "qstack lab/images/tessera-image.ts",
        };
    },
};
