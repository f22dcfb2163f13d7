/**
 * The security context every qstack container runs with, nodes and add-ons alike: non-root, no
 * privilege escalation, read-only root filesystem, all capabilities dropped. Writable paths are
 * explicit emptyDir or PVC mounts.
 */
import type * as k8s from "@pulumi/kubernetes";

export const CONTAINER_SECURITY: k8s.types.input.core.v1.SecurityContext = {
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    runAsNonRoot: true,
    capabilities: { drop: ["ALL"] },
};

/** Pod-level security for a non-root pod running as `uid`/`gid`. */
export function podSecurity(uid: number, gid: number, fsGroup = gid): k8s.types.input.core.v1.PodSecurityContext {
    return {
        runAsNonRoot: true,
        runAsUser: uid,
        runAsGroup: gid,
        fsGroup,
        fsGroupChangePolicy: "OnRootMismatch",
        seccompProfile: { type: "RuntimeDefault" },
    };
}
