/**
 * The shell and tools of every lab image: Debian's busybox-static (one static binary), with a
 * symlink /bin/<applet> -> busybox for every applet it lists, as the official busybox image
 * lays them out. qstack's pod scripts need sh, date, grep, tail, tr, cut, mv, printf, sleep,
 * md5sum, stat, mkdir, cp, ln, cat, wget, od, sed and head (core/node/geth-args.ts, reconciler.ts,
 * acceptance.ts); `requiredApplets` fails the build if this busybox lacks one.
 *
 * The package is installed on the build host when missing (apt-get, as root), because this
 * machine has no other source of a static userland.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { assertStatic } from "./host-libs";
import type { RootfsEntry } from "./oci-layout";

export const BUSYBOX_PACKAGE = "busybox-static";
const BINARY = "/bin/busybox";

/** The applets qstack's pod scripts call. */
export const REQUIRED_APPLETS = ["sh", "date", "grep", "tail", "tr", "cut", "mv", "printf", "sleep", "md5sum", "stat", "mkdir", "cp", "ln", "cat", "wget", "od", "sed", "head"];

type Log = (line: string) => void;

function installedVersion(pkg: string): string | undefined {
    try {
        const out = execFileSync("dpkg-query", ["-W", "-f=${Status} ${Version}", pkg], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
        return out.startsWith("install ok installed ") ? out.slice("install ok installed ".length) : undefined;
    } catch {
        return undefined;
    }
}

/** Installs busybox-static if it is missing; returns its binary and package version. */
export function ensureBusyboxStatic(log: Log): { binary: string; version: string } {
    let version = installedVersion(BUSYBOX_PACKAGE);
    if (version === undefined) {
        if (process.getuid?.() !== 0) {
            throw new Error(`Debian package ${BUSYBOX_PACKAGE} is missing; install it as root (apt-get update && apt-get install -y ${BUSYBOX_PACKAGE}) and rerun`);
        }
        log(`installing Debian package ${BUSYBOX_PACKAGE} (apt-get update && apt-get install -y ${BUSYBOX_PACKAGE})`);
        const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
        execFileSync("apt-get", ["update", "-qq"], { stdio: ["ignore", 2, 2], env });
        execFileSync("apt-get", ["install", "-y", "-qq", BUSYBOX_PACKAGE], { stdio: ["ignore", 2, 2], env });
        version = installedVersion(BUSYBOX_PACKAGE);
        if (version === undefined) throw new Error(`apt-get finished but ${BUSYBOX_PACKAGE} is still not installed`);
    }
    if (!existsSync(BINARY)) throw new Error(`${BUSYBOX_PACKAGE} ${version} is installed but ${BINARY} is missing`);
    assertStatic(BINARY, BUSYBOX_PACKAGE);
    return { binary: BINARY, version };
}

/** The applets a busybox binary provides (`busybox --list`). */
export function appletsOf(binary: string): string[] {
    return execFileSync(binary, ["--list"], { encoding: "utf8" })
        .split("\n")
        .map((a) => a.trim())
        .filter((a) => a !== "" && a !== "busybox");
}

/** /bin/busybox and one symlink per applet; throws if a required applet is missing. */
export function busyboxRootfs(binary: string, required: readonly string[] = REQUIRED_APPLETS): RootfsEntry[] {
    const applets = appletsOf(binary);
    const lacking = required.filter((a) => !applets.includes(a));
    if (lacking.length > 0) throw new Error(`${binary} lacks applets the pod scripts use: ${lacking.join(", ")}`);
    return [
        { kind: "dir", path: "/bin" },
        { kind: "file", path: "/bin/busybox", source: binary, mode: 0o755 },
        ...applets.map((a): RootfsEntry => ({ kind: "symlink", path: `/bin/${a}`, target: "busybox" })),
    ];
}
