/**
 * The on-demand acceptance test as Kubernetes objects: a suspended CronJob holding the Job
 * template, so each run is `kubectl create job --from=cronjob/qstack-acceptance <run>` (what
 * `qctl test` does). Runs therefore never appear in, or change, the Pulumi preview, and they
 * are garbage-collected with the CronJob that owns them.
 *
 * The Job execs the generated script (core/node/acceptance.ts) in the sending node's geth
 * container. Its ServiceAccount may do exactly that and nothing else: get and exec on that one
 * pod, in this namespace.
 */
import type * as k8s from "@pulumi/kubernetes";
import { CONTAINER_SECURITY, podSecurity } from "../container-security";
import { addonLabels } from "../labels";

/** February 31st: the CronJob exists only as a template and never fires by itself. */
export const NEVER = "0 0 31 2 *";
/** The UID of distroless "nonroot", which registry.k8s.io/kubectl uses. */
const NONROOT = 65532;

export interface AcceptanceJobArgs {
    readonly org: string;
    readonly namespace: string;
    /** The pod of the sending node. */
    readonly senderPod: string;
    readonly script: string;
    readonly kubectlImage: string;
    readonly serviceAccountName: string;
    /** Upper bound of one run, script waits included. */
    readonly timeoutSeconds: number;
}

/** Exec into one pod: `get` finds it, `create` (and `get` for WebSocket upgrades) opens the stream. */
export function buildAcceptanceRoleRules(senderPod: string): k8s.types.input.rbac.v1.PolicyRule[] {
    return [
        { apiGroups: [""], resources: ["pods"], resourceNames: [senderPod], verbs: ["get"] },
        { apiGroups: [""], resources: ["pods/exec"], resourceNames: [senderPod], verbs: ["create", "get"] },
    ];
}

export function buildAcceptanceCronJobSpec(a: AcceptanceJobArgs): k8s.types.input.batch.v1.CronJobSpec {
    const version = a.kubectlImage.split(":").pop() ?? "unknown";
    return {
        schedule: NEVER,
        suspend: true,
        concurrencyPolicy: "Forbid",
        successfulJobsHistoryLimit: 3,
        failedJobsHistoryLimit: 3,
        jobTemplate: {
            metadata: { labels: addonLabels(a.org, "acceptance", version) },
            spec: {
                // One attempt: a retry would deploy two more contracts and blur what failed.
                backoffLimit: 0,
                activeDeadlineSeconds: a.timeoutSeconds,
                ttlSecondsAfterFinished: 7 * 24 * 3600,
                template: {
                    metadata: { labels: addonLabels(a.org, "acceptance", version) },
                    spec: {
                        serviceAccountName: a.serviceAccountName,
                        restartPolicy: "Never",
                        enableServiceLinks: false,
                        securityContext: podSecurity(NONROOT, NONROOT),
                        containers: [
                            {
                                name: "acceptance",
                                image: a.kubectlImage,
                                command: ["kubectl"],
                                args: ["exec", "-n", a.namespace, a.senderPod, "-c", "quorum", "--", "sh", "-c", a.script],
                                // kubectl writes its discovery cache under $HOME.
                                env: [{ name: "HOME", value: "/tmp" }],
                                resources: { requests: { cpu: "10m", memory: "32Mi" }, limits: { memory: "128Mi" } },
                                securityContext: CONTAINER_SECURITY,
                                volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
                            },
                        ],
                        volumes: [{ name: "tmp", emptyDir: {} }],
                    },
                },
            },
        },
    };
}
