/**
 * A minimal Java runtime for Tessera, made with the host JDK 17's jlink (Tessera 0.10.x is
 * built and run with 17 in the lab; lab/toolchain/tools/tessera).
 *
 * Which modules: the ones `jdeps --print-module-deps` finds in the shaded app jar (every
 * module any bundled library refers to, ~2 min on 2 cores, cached per jar), plus the one
 * provider module the jar needs that is only reached by a lookup, which no static analysis sees:
 * jdk.crypto.ec, the SunEC security provider (ECDHE/X25519 key exchange, ECDSA), which
 * java.security loads by name. TLS on Tessera's servers and in its clients (Jetty, Jersey,
 * okhttp, netty, the key vault SDKs and nimbus-jose in the jar) needs it. No other provider
 * module is used: the only FileSystem provider the jar asks for is Tessera's own unix-socket
 * one (no jar: zipfs), and it names no extra charsets or locales.
 *
 * jdeps includes java.desktop (java.beans, which bean-mapping libraries use). Its display,
 * sound, font and image natives are left out of the runtime (`--exclude-files`): headless
 * Java never loads them, and they link X11, ALSA, freetype, harfbuzz, glib, libpng, libjpeg and
 * lcms2, which the image would otherwise have to carry. The JRE is cached per (JDK build,
 * module list, options).
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

type Log = (line: string) => void;

export interface Jdk {
    readonly home: string;
    /** JAVA_RUNTIME_VERSION of its `release` file, e.g. 17.0.15+6-Debian-1deb12u1. */
    readonly runtimeVersion: string;
}

export const SERVICE_MODULES = ["jdk.crypto.ec"];

/** java.desktop natives that only a display, a sound device or rendering would load. */
export const HEADLESS_EXCLUDED_LIBS = [
    "libawt_xawt.so",
    "libjawt.so",
    "libsplashscreen.so",
    "libjsound.so",
    "libfontmanager.so",
    "libjavajpeg.so",
    "liblcms.so",
];

const JLINK_OPTIONS = ["--strip-debug", "--no-man-pages", "--no-header-files", "--compress=2", `--exclude-files=${HEADLESS_EXCLUDED_LIBS.map((l) => `**/${l}`).join(",")}`];

function releaseField(home: string, key: string): string | undefined {
    const release = join(home, "release");
    if (!existsSync(release)) return undefined;
    const m = new RegExp(`^${key}="([^"]*)"`, "m").exec(readFileSync(release, "utf8"));
    return m?.[1];
}

/** The JDK 17 to use: $QSTACK_JDK_HOME, else the one whose jlink is on PATH. */
export function hostJdk17(): Jdk {
    let home = process.env.QSTACK_JDK_HOME;
    if (!home) {
        const jlink = execFileSync("sh", ["-c", "command -v jlink"], { encoding: "utf8" }).trim();
        if (!jlink) throw new Error("no jlink on PATH: install a JDK 17 (apt-get install openjdk-17-jdk-headless) or set QSTACK_JDK_HOME");
        home = dirname(dirname(realpathSync(jlink)));
    }
    const version = releaseField(home, "JAVA_VERSION");
    const runtimeVersion = releaseField(home, "JAVA_RUNTIME_VERSION") ?? version;
    if (!version?.startsWith("17") || !runtimeVersion) throw new Error(`${home} is JDK ${version ?? "unknown"}, not 17; set QSTACK_JDK_HOME to a JDK 17`);
    if (!existsSync(join(home, "jmods", "java.base.jmod"))) throw new Error(`${home} has no jmods/; jlink needs them (Debian: openjdk-17-jdk-headless)`);
    return { home, runtimeVersion };
}

function sha256File(path: string): string {
    return createHash("sha256").update(readFileSync(path)).digest("hex");
}

/** The modules a jar needs according to jdeps, cached under `cacheDir` by jar content and JDK build. */
export function jdepsModules(jdk: Jdk, jar: string, cacheDir: string, log: Log): string[] {
    const key = createHash("sha256").update(`${sha256File(jar)}\n${jdk.runtimeVersion}`).digest("hex").slice(0, 16);
    const cached = join(cacheDir, `jdeps-${key}.modules`);
    if (!existsSync(cached)) {
        log(`jdeps --print-module-deps ${jar} (about 2 minutes on 2 cores; cached afterwards)`);
        const out = execFileSync(join(jdk.home, "bin", "jdeps"), ["--ignore-missing-deps", "--print-module-deps", "--multi-release", "17", jar], {
            encoding: "utf8",
            stdio: ["ignore", "pipe", "inherit"],
            maxBuffer: 64 * 1024 * 1024,
        });
        const line = out.trim().split("\n").pop() ?? "";
        if (!/^[a-z0-9.]+(,[a-z0-9.]+)*$/.test(line)) throw new Error(`jdeps printed no module list for ${jar}: ${out.slice(-500)}`);
        mkdirSync(cacheDir, { recursive: true });
        writeFileSync(cached, `${line}\n`);
    }
    return readFileSync(cached, "utf8").trim().split(",");
}

/** A jlinked runtime holding `modules` (and whatever they require), cached under `cacheDir`; returns its directory. */
export function buildJre(jdk: Jdk, modules: readonly string[], cacheDir: string, log: Log): string {
    const mods = [...new Set(modules)].sort();
    const key = createHash("sha256").update(JSON.stringify([jdk.runtimeVersion, jdk.home, mods, JLINK_OPTIONS])).digest("hex").slice(0, 16);
    const dir = join(cacheDir, `jre-${key}`);
    const complete = `${dir}.complete`;
    if (existsSync(complete)) return dir;
    log(`jlink ${mods.join(",")} -> ${dir}`);
    const tmp = `${dir}.partial`;
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(dirname(dir), { recursive: true });
    execFileSync(join(jdk.home, "bin", "jlink"), ["--add-modules", mods.join(","), ...JLINK_OPTIONS, "--output", tmp], { stdio: ["ignore", 2, 2] });
    rmSync(dir, { recursive: true, force: true });
    renameSync(tmp, dir);
    // A sibling, not a file inside the runtime: the whole directory goes into the image.
    writeFileSync(complete, "");
    // Runtimes of earlier module lists or JDK builds are not wanted again (~50 MB each).
    for (const old of readdirSync(cacheDir)) {
        if (/^jre-[0-9a-f]{16}(\.complete)?$/.test(old) && !old.startsWith(`jre-${key}`)) rmSync(join(cacheDir, old), { recursive: true, force: true });
    }
    return dir;
}
