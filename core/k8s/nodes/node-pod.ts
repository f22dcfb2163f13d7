/**
 * The pod template and StatefulSet spec of one node: geth as the main container, Tessera as a
 * native sidecar (an init container with restartPolicy Always) whose startup probe gates geth,
 * because geth checks the Q2T socket once at startup and exits if it is not there yet.
 *
 * Safe defaults: see ./container-security.ts, plus no service-account token.
 */
import type * as k8s from "@pulumi/kubernetes";
import type { NetworkConfig, NodeConfig } from "../../config/schema";
import { buildGethArgs, buildInitScript } from "../../node/geth-args";
import { RECONCILER_DIR, buildReconcilerCommand } from "../../node/reconciler";
import { CONFIG_FILES, PATHS, PORTS } from "../../node/layout";
import { CONTAINER_SECURITY, podSecurity } from "../container-security";
import { names, nodeLabels, nodeSelector } from "../labels";
import { METRICS_PATH } from "../addons/service-monitor";

type PodSpec = k8s.types.input.core.v1.PodSpec;
type Container = k8s.types.input.core.v1.Container;
type StatefulSetSpec = k8s.types.input.apps.v1.StatefulSetSpec;

/** Where the Tessera start script lives in quorumengineering/tessera images. */
export const TESSERA_BIN = "/tessera/bin/tessera";

function resources(r: NodeConfig["resources"]["quorum"]): k8s.types.input.core.v1.ResourceRequirements {
    return {
        requests: { ...r.requests },
        limits: { memory: r.limits.memory, ...(r.limits.cpu ? { cpu: r.limits.cpu } : {}) },
    };
}

function volumeMounts(node: NodeConfig): k8s.types.input.core.v1.VolumeMount[] {
    return [
        { name: "data", mountPath: PATHS.data },
        { name: "keys", mountPath: PATHS.keys, readOnly: true },
        { name: "genesis", mountPath: PATHS.genesisDir, readOnly: true },
        // Directory mounts, not subPath: kubelet then propagates ConfigMap updates to running pods.
        { name: "static-nodes", mountPath: PATHS.staticNodesDir, readOnly: true },
        { name: "permissioned-nodes", mountPath: PATHS.permissionedNodesDir, readOnly: true },
        { name: "tmp", mountPath: PATHS.tmp },
        ...(node.tessera
            ? [
                  { name: "tessera-config", mountPath: PATHS.tesseraConfigDir, readOnly: true },
                  { name: "tm-ipc", mountPath: PATHS.tesseraIpcDir },
              ]
            : []),
    ];
}

function tesseraSidecar(config: NetworkConfig, node: NodeConfig): Container {
    const upcheck = { httpGet: { path: "/upcheck", port: PORTS.tesseraP2p } };
    return {
        name: "tessera",
        image: config.tessera.image,
        restartPolicy: "Always",
        command: [TESSERA_BIN, "-configfile", `${PATHS.tesseraConfigDir}/${CONFIG_FILES.tesseraConfig}`],
        env: [{ name: "JAVA_OPTS", value: `-XX:MaxRAMPercentage=75 -Djava.io.tmpdir=${PATHS.tmp}` }],
        ports: [
            { name: "tm-p2p", containerPort: PORTS.tesseraP2p },
            { name: "tm-thirdparty", containerPort: PORTS.tesseraThirdParty },
        ],
        startupProbe: { ...upcheck, periodSeconds: 2, failureThreshold: 90 },
        readinessProbe: { ...upcheck, periodSeconds: 10 },
        livenessProbe: { ...upcheck, periodSeconds: 20, failureThreshold: 3 },
        resources: resources(node.resources.tessera),
        securityContext: CONTAINER_SECURITY,
        volumeMounts: volumeMounts(node),
    };
}

/** The geth argument vector of a node (also what the lab's chain runner executes). */
export function gethArgsOf(config: NetworkConfig, node: NodeConfig): string[] {
    return buildGethArgs({
        consensus: config.consensus,
        chainId: config.chainId,
        nodeName: node.name,
        role: node.role,
        tessera: node.tessera,
        rpcApis: config.rpcApis,
        verbosity: config.gethVerbosity,
        raftBlockTimeMs: config.raftBlockTimeMs,
        extraFlags: node.gethFlags,
    });
}

/**
 * Where a node's pod may run. `hostname` pins it to one Kubernetes node: with a partner
 * allowlist (externalTrafficPolicy Local), the NodePorts answer only on the node running the
 * pod, and the pod's outbound traffic leaves from its node's address, so both must be the
 * exported node.
 */
export interface NodePlacement {
    readonly hostname?: string;
}

/** Pod spec of a node whose keys are in the Secret `keySecret`. */
export function buildNodePodSpec(config: NetworkConfig, node: NodeConfig, keySecret: string, placement: NodePlacement = {}): PodSpec {
    const sc = config.securityContext;
    const ports = [
        { name: "p2p", containerPort: PORTS.p2p },
        { name: "http", containerPort: PORTS.http },
        { name: "ws", containerPort: PORTS.ws },
        { name: "metrics", containerPort: PORTS.metrics },
        ...(config.consensus === "raft" ? [{ name: "raft", containerPort: PORTS.raft }] : []),
    ];
    return {
        automountServiceAccountToken: false,
        enableServiceLinks: false,
        terminationGracePeriodSeconds: 60,
        ...(placement.hostname ? { nodeSelector: { "kubernetes.io/hostname": placement.hostname } } : {}),
        securityContext: podSecurity(sc.runAsUser, sc.runAsGroup, sc.fsGroup),
        initContainers: [
            {
                name: "geth-init",
                image: config.quorum.image,
                command: ["/bin/sh", "-c", buildInitScript()],
                resources: resources(node.resources.quorum),
                securityContext: CONTAINER_SECURITY,
                volumeMounts: volumeMounts(node),
            },
            ...(node.tessera ? [tesseraSidecar(config, node)] : []),
        ],
        containers: [
            {
                name: "quorum",
                image: config.quorum.image,
                command: ["geth"],
                args: gethArgsOf(config, node),
                ports,
                readinessProbe: { tcpSocket: { port: PORTS.http }, initialDelaySeconds: 5, periodSeconds: 10 },
                livenessProbe: { tcpSocket: { port: PORTS.p2p }, initialDelaySeconds: 30, periodSeconds: 20, failureThreshold: 6 },
                resources: resources(node.resources.quorum),
                securityContext: CONTAINER_SECURITY,
                volumeMounts: volumeMounts(node),
            },
            {
                // Connects to partners added later and votes in their validators (core/node/reconciler.ts).
                name: "reconciler",
                image: config.quorum.image,
                command: buildReconcilerCommand(),
                resources: { requests: { cpu: "10m", memory: "32Mi" }, limits: { memory: "128Mi" } },
                securityContext: CONTAINER_SECURITY,
                volumeMounts: [
                    { name: "data", mountPath: PATHS.data },
                    { name: "reconciler", mountPath: RECONCILER_DIR, readOnly: true },
                    { name: "tmp", mountPath: PATHS.tmp },
                ],
            },
        ],
        volumes: [
            { name: "keys", secret: { secretName: keySecret, defaultMode: 0o440 } },
            { name: "genesis", configMap: { name: names.genesisConfigMap } },
            { name: "static-nodes", configMap: { name: names.staticNodesConfigMap } },
            { name: "permissioned-nodes", configMap: { name: names.permissionedNodesConfigMap } },
            { name: "reconciler", configMap: { name: names.reconcilerConfigMap } },
            { name: "tmp", emptyDir: {} },
            ...(node.tessera
                ? [
                      { name: "tessera-config", configMap: { name: names.tesseraConfigMap(node.name) } },
                      { name: "tm-ipc", emptyDir: { medium: "Memory" } },
                  ]
                : []),
        ],
    };
}

/**
 * Annotations of a node's StatefulSet. `pulumi.com/waitFor` makes the Kubernetes provider wait,
 * on create and on every update, until the StatefulSet's controller has seen the new spec
 * (JSONPath conditions first require `.status.observedGeneration` to be current) and its one pod
 * is of the new revision and Ready. The provider's built-in StatefulSet await reads the status
 * as it was before the controller saw the update (pulumi/pulumi-kubernetes#3329, fixed upstream
 * by #4094 after 4.25), so an image upgrade then restarted every node at once: measured on the
 * real lab, all four of an organization's pods were down together and the chain stopped for
 * 127 s. Each node's StatefulSet waits for the previous one (`rollAfter`), so this is what makes
 * a rolling change roll one node at a time.
 */
export function nodeStatefulSetAnnotations(): Record<string, string> {
    return { "pulumi.com/waitFor": JSON.stringify(["jsonpath={.status.updatedReplicas}=1", "jsonpath={.status.readyReplicas}=1"]) };
}

/**
 * StatefulSet spec: one replica, because a node's identity (nodekey, validator key) must never
 * run twice; the StatefulSet guarantees at most one pod per ordinal, which a Deployment's
 * rolling update does not. Its volumeClaimTemplate gives a stable PVC that outlives the
 * StatefulSet (the chain data survives `pulumi destroy` of the workload).
 */
export function buildNodeStatefulSetSpec(config: NetworkConfig, node: NodeConfig, keySecret: string, placement: NodePlacement = {}): StatefulSetSpec {
    return {
        replicas: 1,
        serviceName: names.service(node.name),
        podManagementPolicy: "OrderedReady",
        persistentVolumeClaimRetentionPolicy: {
            whenDeleted: config.dataRetention === "delete" ? "Delete" : "Retain",
            whenScaled: "Retain",
        },
        updateStrategy: { type: "RollingUpdate" },
        selector: { matchLabels: nodeSelector(node) },
        template: {
            metadata: {
                labels: nodeLabels(config.org, node, config.quorum.version),
                annotations: {
                    "prometheus.io/scrape": "true",
                    "prometheus.io/port": String(PORTS.metrics),
                    "prometheus.io/path": METRICS_PATH,
                },
            },
            spec: buildNodePodSpec(config, node, keySecret, placement),
        },
        volumeClaimTemplates: [
            {
                metadata: { name: "data", labels: nodeSelector(node) },
                spec: {
                    accessModes: ["ReadWriteOnce"],
                    ...(node.storage.storageClass ? { storageClassName: node.storage.storageClass } : {}),
                    resources: { requests: { storage: node.storage.size } },
                },
            },
        ],
    };
}
