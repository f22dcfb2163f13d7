/**
 * The optional block explorer add-on: one Cakeshop pod that knows every node of the organization
 * from the moment it starts.
 *
 * Cakeshop is deprecated: its README has carried "Cakeshop has been deprecated on May 31st 2022,
 * and we are no longer supporting the project" since the repository's last commit (77370c0,
 * 2022-05-27, ConsenSys/cakeshop README.md), and it names quorum-explorer as the replacement. We
 * still ship it because Qubernetes users had it, it needs no database server (an embedded HSQLDB
 * file under its data dir), and it speaks plain JSON-RPC and the Tessera ThirdParty API; the
 * README says so.
 *
 * What the image does, and what this file relies on (all from ConsenSys/cakeshop at v0.12.1/HEAD):
 * - `Dockerfile`: `ENTRYPOINT ["java", "-Dcakeshop.config.dir=/cakeshop/data",
 *   "-Dspring.config.additional-location=file:/cakeshop/data/local/", "-jar", "/cakeshop/cakeshop.war"]`,
 *   `EXPOSE 8080`, `VOLUME /cakeshop/data`, and no `USER` (it runs as root). The entrypoint is a
 *   bare `java`, so `JAVA_OPTS` (which the README's docker example still shows) is never read;
 *   the container command below is the whole `java` argv instead, as Qubernetes'
 *   `templates/k8s/cakeshop.yaml.erb` also did.
 * - `cakeshop-api/.../service/task/InitializeNodesTask.java`: `@Value("${cakeshop.initialnodes:}")`
 *   names a JSON file of `NodeInfo` (`model/NodeInfo.java`: name, rpcUrl, transactionManagerUrl),
 *   read only while the node table is empty; it then connects to the first entry.
 * - `cakeshop-api/src/main/resources/config/application.properties`: `server.port=8080`, and the
 *   HSQLDB at `${cakeshop.config.dir}/local/db/sdk`; `CakeshopApplication.java` also extracts the
 *   solc wrapper into `${cakeshop.config.dir}/bin`. So the data dir is the only writable path it
 *   needs besides /tmp (Jetty's work dir).
 * - `pom.xml`: Spring Boot 2.3.7, whose actuator serves `/actuator/health` (the healthcheck in
 *   `quorum-dev-quickstart/docker-compose.yml`) and, with `management.endpoint.health.probes.enabled`,
 *   the `/liveness` and `/readiness` groups under it.
 * - `config/SecurityConfig.java`: `anyRequest().permitAll()`, i.e. no login at all, while the UI
 *   can deploy contracts and send transactions; hence a ClusterIP Service only.
 */
import type * as k8s from "@pulumi/kubernetes";
import { QstackError } from "../../errors";
import { PORTS } from "../../node/layout";
import { buildAddonDeploymentSpec, buildAddonServiceSpec } from "./addon-workload";
import { CONTAINER_SECURITY } from "../container-security";
import { imageTag, names } from "../labels";

/** Add-on name: the `app.kubernetes.io/name` of the explorer's objects. */
export const EXPLORER_ADDON = "cakeshop";

/** Cakeshop's `server.port`. */
export const EXPLORER_PORT = 8080;

/** Key of the nodes file in the explorer's ConfigMap (Qubernetes' name, kept for familiarity). */
export const EXPLORER_CONFIG_FILE = "cakeshop-nodes.json";

/** The image runs as root; any uid works once the data dir and /tmp are writable emptyDirs. */
export const EXPLORER_UID = 1000;

export const EXPLORER_PATHS = {
    /** ConfigMap mount (a directory, like the nodes' peer lists). */
    configDir: "/qstack/cakeshop",
    /** `cakeshop.config.dir`: HSQLDB, extracted solc wrapper, optional `local/application.properties`. */
    dataDir: "/cakeshop/data",
    war: "/cakeshop/cakeshop.war",
    tmp: "/tmp",
} as const;

/** Spring Boot 2.3 actuator health groups, enabled explicitly below rather than by Kubernetes auto-detection. */
export const EXPLORER_HEALTH = {
    liveness: "/actuator/health/liveness",
    readiness: "/actuator/health/readiness",
} as const;

/**
 * The heap stays at half the memory limit: the rest holds metaspace, Jetty's threads and the
 * Node.js solc process Cakeshop forks to compile contracts, which shares the container's limit.
 */
export const EXPLORER_RESOURCES = {
    requests: { cpu: "250m", memory: "512Mi" },
    limits: { memory: "1Gi" },
} as const;
export const EXPLORER_HEAP = "512m";

export interface ExplorerNode {
    name: string;
    tessera: boolean;
}

/** One entry of Cakeshop's initial nodes file (`NodeInfo` without its database id). */
export interface CakeshopNode {
    name: string;
    rpcUrl: string;
    /** Tessera ThirdParty API; "" when the node has no Tessera, as upstream's quickstart file does. */
    transactionManagerUrl: string;
}

function serviceUrl(node: string, namespace: string, port: number): string {
    return `http://${names.service(node)}.${namespace}.svc:${port}`;
}

/**
 * Content of the nodes file. Service DNS names, not the `*_SERVICE_HOST` env vars Qubernetes
 * substituted at container start: those exist only for Services older than the pod, so nodes
 * added later stayed invisible until someone restarted Cakeshop. Entries are sorted by name so
 * that reordering nodes in the stack config changes neither the bytes nor the checksum, and so
 * does not roll the pod; the first entry is the node Cakeshop connects to.
 */
export function buildCakeshopNodes(namespace: string, nodes: readonly ExplorerNode[]): string {
    if (nodes.length === 0) {
        throw new QstackError("INVALID_ARGUMENT", [{ key: "explorer nodes", reason: "the explorer needs at least one node", value: [] }]);
    }
    const seen = new Set<string>();
    for (const n of nodes) {
        if (seen.has(n.name)) throw new QstackError("INVALID_ARGUMENT", [{ key: "explorer nodes", reason: "duplicate node name", value: n.name }]);
        seen.add(n.name);
    }
    // Code-unit order, not localeCompare: the bytes must not depend on the machine's locale.
    const sorted = [...nodes].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const entries: CakeshopNode[] = sorted.map((n) => ({
        name: n.name,
        rpcUrl: serviceUrl(n.name, namespace, PORTS.http),
        transactionManagerUrl: n.tessera ? serviceUrl(n.name, namespace, PORTS.tesseraThirdParty) : "",
    }));
    return `${JSON.stringify(entries, null, 2)}\n`;
}

export interface ExplorerSpecArgs {
    org: string;
    image: string;
    configMapName: string;
    /** `app.kubernetes.io/version`. @default - the image tag, or "unknown" if that is not a valid label value */
    version?: string;
}

/** The container's argv: everything the image's entrypoint passed, plus the nodes file, port, heap and probes. */
export function buildExplorerCommand(): string[] {
    return [
        "java",
        `-Xms${EXPLORER_HEAP}`,
        `-Xmx${EXPLORER_HEAP}`,
        // Let the kubelet restart a JVM that ran out of heap instead of leaving it half-alive.
        "-XX:+ExitOnOutOfMemoryError",
        `-Djava.io.tmpdir=${EXPLORER_PATHS.tmp}`,
        `-Dcakeshop.config.dir=${EXPLORER_PATHS.dataDir}`,
        `-Dspring.config.additional-location=file:${EXPLORER_PATHS.dataDir}/local/`,
        `-Dcakeshop.initialnodes=${EXPLORER_PATHS.configDir}/${EXPLORER_CONFIG_FILE}`,
        `-Dserver.port=${EXPLORER_PORT}`,
        // Spring Boot enables the probe groups itself only when it detects Kubernetes; the probes must not depend on that guess.
        "-Dmanagement.endpoint.health.probes.enabled=true",
        "-jar",
        EXPLORER_PATHS.war,
    ];
}

/**
 * Deployment spec. The data dir is an emptyDir on purpose: Cakeshop reads the nodes file only
 * while its database has no nodes, so a persistent database would pin the first node list
 * forever. With a fresh database per pod, the checksum annotation rolls the pod whenever the
 * node list changes and the new pod loads the new list (nodes added by hand in the UI, and
 * contracts registered there, do not survive a restart).
 */
export function buildExplorerDeploymentSpec(args: ExplorerSpecArgs, configChecksum: string): k8s.types.input.apps.v1.DeploymentSpec {
    const version = args.version ?? imageTag(args.image);
    const probe = (path: string) => ({ httpGet: { path, port: "http" } });
    return buildAddonDeploymentSpec({
        org: args.org,
        addon: EXPLORER_ADDON,
        version,
        configChecksum,
        uid: EXPLORER_UID,
        terminationGracePeriodSeconds: 30,
        containers: [
            {
                name: EXPLORER_ADDON,
                image: args.image,
                imagePullPolicy: "IfNotPresent",
                command: buildExplorerCommand(),
                // No passwd entry for the uid in the image; give the JVM and Node.js a writable home.
                env: [{ name: "HOME", value: EXPLORER_PATHS.tmp }],
                ports: [{ name: "http", containerPort: EXPLORER_PORT }],
                // Spring Boot plus schema creation takes tens of seconds on a small CPU share.
                startupProbe: { ...probe(EXPLORER_HEALTH.liveness), periodSeconds: 5, failureThreshold: 60 },
                readinessProbe: { ...probe(EXPLORER_HEALTH.readiness), periodSeconds: 10, failureThreshold: 3 },
                livenessProbe: { ...probe(EXPLORER_HEALTH.liveness), periodSeconds: 20, failureThreshold: 3 },
                resources: {
                    requests: { ...EXPLORER_RESOURCES.requests },
                    limits: { ...EXPLORER_RESOURCES.limits },
                },
                securityContext: CONTAINER_SECURITY,
                volumeMounts: [
                    { name: "config", mountPath: EXPLORER_PATHS.configDir, readOnly: true },
                    { name: "data", mountPath: EXPLORER_PATHS.dataDir },
                    { name: "tmp", mountPath: EXPLORER_PATHS.tmp },
                ],
            },
        ],
        volumes: [
            { name: "config", configMap: { name: args.configMapName } },
            { name: "data", emptyDir: { sizeLimit: "1Gi" } },
            { name: "tmp", emptyDir: { sizeLimit: "256Mi" } },
        ],
    });
}

/** ClusterIP only: Cakeshop has no authentication (see above); reach it with `kubectl port-forward`. */
export function buildExplorerServiceSpec(org: string): k8s.types.input.core.v1.ServiceSpec {
    return buildAddonServiceSpec(org, EXPLORER_ADDON, EXPLORER_PORT);
}
