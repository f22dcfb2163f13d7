/**
 * The part of a lab image's root filesystem every image shares: the directories a Linux
 * process expects, /etc/passwd and /etc/group naming the users qstack's pods run as, and a
 * world-writable sticky /tmp.
 *
 * Why these users: every qstack container runs as uid/gid 1000 (core/config/schema.ts
 * securityContext) and the acceptance Job as 65532 (distroless "nonroot", the kubectl image's
 * user); a passwd entry gives those ids a name and a $HOME, which runc sets from it and which
 * kubectl and the JVM (user.home) read. The home is /tmp because the root filesystem is
 * read-only in every qstack pod and /tmp is the writable emptyDir they all mount.
 */
import type { RootfsEntry } from "./oci-layout";

export interface ImageUser {
    readonly name: string;
    readonly uid: number;
    readonly gid: number;
    readonly home: string;
}

export const ROOT_USER: ImageUser = { name: "root", uid: 0, gid: 0, home: "/root" };
/** The uid/gid qstack's node pods run as. */
export const LAB_USER: ImageUser = { name: "qstack", uid: 1000, gid: 1000, home: "/tmp" };
/** The uid/gid of the acceptance Job (core/k8s/addons/acceptance-job.ts NONROOT). */
export const NONROOT_USER: ImageUser = { name: "nonroot", uid: 65532, gid: 65532, home: "/tmp" };

/** The usual search path; images that add tools elsewhere put their directory in front. */
export const DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

export function passwd(users: readonly ImageUser[]): string {
    return users.map((u) => `${u.name}:x:${u.uid}:${u.gid}:${u.name}:${u.home}:/bin/sh\n`).join("");
}

export function group(users: readonly ImageUser[]): string {
    return users.map((u) => `${u.name}:x:${u.gid}:\n`).join("");
}

/**
 * Directories, /etc files and users of an image. /proc, /sys and /dev are empty mount points
 * (runc would create them, but a read-only root is easier to reason about when they exist);
 * nsswitch.conf makes glibc and Go both read /etc/hosts (kubelet-managed) before DNS.
 */
export function baseRootfs(users: readonly ImageUser[] = [ROOT_USER, LAB_USER]): RootfsEntry[] {
    return [
        { kind: "dir", path: "/dev" },
        { kind: "dir", path: "/etc" },
        { kind: "dir", path: "/proc" },
        { kind: "dir", path: "/root", mode: 0o700 },
        { kind: "dir", path: "/sys" },
        { kind: "dir", path: "/tmp", mode: 0o1777 },
        { kind: "file", path: "/etc/passwd", content: passwd(users) },
        { kind: "file", path: "/etc/group", content: group(users) },
        { kind: "file", path: "/etc/nsswitch.conf", content: "passwd: files\ngroup: files\nhosts: files dns\n" },
    ];
}

/** A host file copied to `path`, keeping the host's permission bits, owned by root. */
export function hostFile(path: string, source: string, mode?: number): RootfsEntry {
    return { kind: "file", path, source, ...(mode !== undefined ? { mode } : {}) };
}
