/**
 * The on-demand acceptance test of an organization (core/node/acceptance.ts): a suspended
 * CronJob as the Job template, and a ServiceAccount allowed to exec into the sending node's pod
 * and nothing else. `qctl test` creates a run from the template and reports its result.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { NetworkConfig } from "../core/config/schema";
import { buildAcceptanceCronJobSpec, buildAcceptanceRoleRules } from "../core/k8s/addons/acceptance-job";
import { addonLabels, names } from "../core/k8s/labels";
import { buildAcceptanceScript, planAcceptance, type AcceptanceNode } from "../core/node/acceptance";

export interface AcceptanceTestArgs {
    readonly config: NetworkConfig;
    readonly namespace: pulumi.Input<string>;
    /** The organization's nodes with their Tessera public keys. */
    readonly nodes: pulumi.Input<AcceptanceNode[]>;
    /** Objects the test needs in place first (the nodes). */
    readonly dependsOn?: pulumi.Input<pulumi.Resource>[];
}

export class AcceptanceTest extends pulumi.ComponentResource {
    public readonly cronJob: k8s.batch.v1.CronJob;

    constructor(name: string, args: AcceptanceTestArgs, opts?: pulumi.ComponentResourceOptions) {
        super("qstack:index:AcceptanceTest", name, {}, opts);
        const { config } = args;
        const labels = addonLabels(config.org, "acceptance", config.acceptanceTest.kubectlImage.split(":").pop() ?? "unknown");
        const meta = { name: names.acceptance, namespace: args.namespace, labels };
        const child = { parent: this };

        // Validated in core/config: some node runs Tessera, and a chosen sender does.
        const plan = pulumi.output(args.nodes).apply((nodes) => {
            const p = planAcceptance(nodes, { preferred: config.acceptanceTest.node, timeoutSeconds: Math.max(30, Math.floor(config.acceptanceTest.timeoutSeconds / 4)) });
            if (typeof p === "string") throw new pulumi.ResourceError(`qstack:acceptanceTest: ${p}`, this);
            return p;
        });
        const senderPod = plan.apply((p) => names.pod(p.sender));

        const account = new k8s.core.v1.ServiceAccount(`${name}-sa`, { metadata: meta, automountServiceAccountToken: true }, child);
        const role = new k8s.rbac.v1.Role(`${name}-role`, { metadata: meta, rules: senderPod.apply(buildAcceptanceRoleRules) }, child);
        const binding = new k8s.rbac.v1.RoleBinding(
            `${name}-binding`,
            {
                metadata: meta,
                roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: role.metadata.name },
                subjects: [{ kind: "ServiceAccount", name: account.metadata.name, namespace: args.namespace }],
            },
            child,
        );
        this.cronJob = new k8s.batch.v1.CronJob(
            `${name}-template`,
            {
                metadata: meta,
                spec: pulumi.all([plan, senderPod, args.namespace]).apply(([p, pod, namespace]) =>
                    buildAcceptanceCronJobSpec({
                        org: config.org,
                        namespace,
                        senderPod: pod,
                        script: buildAcceptanceScript(p),
                        kubectlImage: config.acceptanceTest.kubectlImage,
                        serviceAccountName: names.acceptance,
                        timeoutSeconds: config.acceptanceTest.timeoutSeconds,
                    }),
                ),
            },
            { ...child, dependsOn: [binding, ...(args.dependsOn ?? [])] },
        );
        this.registerOutputs({});
    }
}
