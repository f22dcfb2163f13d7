/**
 * Raw stack config → fully defaulted {@link NetworkConfig}, or one {@link QstackError} listing
 * every problem found. Runs before any resource is declared, so bad input never half-deploys.
 */
import { CONSENSUS_ALGORITHMS, type Consensus } from "../genesis/genesis";
import { ProblemList, REDACTED, type Problem } from "../errors";
import { ADDRESS_ALLOWED, DNS_NAME_ALLOWED, addressProblem, classifyAddress } from "../net/address";
import type { ImportedNodeKeys } from "../keys/node-key-material";
import { deriveNodeKeyMaterial } from "../keys/node-key-material";
import { MANAGED_GETH_FLAGS } from "../node/geth-args";
import {
    CONFIG_KEYS,
    type ContainerResources,
    DEFAULTS,
    EXPOSABLE_RPC_APIS,
    NODE_KEYS,
    NODE_ROLES,
    type NetworkConfig,
    type NodeConfig,
    type NodeRole,
    type PinnedNodePorts,
} from "./schema";
import type { OrganizationSettings } from "./organization-settings";
import { settingKey, type SettingsSource } from "./settings-source";

/** Raw config as read from Pulumi: keys without the `qstack:` prefix, JSON already parsed. */
export type RawConfig = Readonly<Record<string, unknown>>;

export interface ResolveOptions {
    /** Config keys that Pulumi holds as secrets (without prefix). */
    readonly secretKeys?: ReadonlySet<string>;
    /** Where the settings were written, for the keys errors name. @default "stack-config" */
    readonly source?: SettingsSource;
}

const DNS_LABEL = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;
const QUANTITY = /^[0-9]+(\.[0-9]+)?(m|Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/;
const IMAGE = /^[a-zA-Z0-9][a-zA-Z0-9._\-/:@]*$/;
const VERSION = /^[0-9A-Za-z][0-9A-Za-z._-]*$/;
const MAX_NODE_NAME = 40;

function isIpv4Cidr(text: string): boolean {
    const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(text);
    return m !== null && m.slice(1, 5).every((o) => Number(o) <= 255) && Number(m[5]) <= 32;
}

/** An Ingress host is a DNS name (Kubernetes refuses IP addresses there). */
function ingressHost(r: Reader, value: unknown): string | undefined {
    const host = r.optionalString(value, "ingress.host", /^.+$/, DNS_NAME_ALLOWED);
    if (host === undefined) return undefined;
    const c = classifyAddress(host);
    if ("problem" in c) r.fail("ingress.host", c.problem, host, DNS_NAME_ALLOWED);
    else if (c.kind !== "dns") r.fail("ingress.host", `is an ${c.kind === "ipv4" ? "IPv4" : "IPv6"} address; an Ingress host must be a name`, host, DNS_NAME_ALLOWED);
    return host;
}

/** Small typed readers that record a problem and return a fallback instead of throwing. */
class Reader {
    constructor(readonly problems: ProblemList, readonly source: SettingsSource) {}

    /** The user-facing name of a setting, for messages that point at another one. */
    key(path: string): string {
        return settingKey(this.source, path);
    }

    fail(key: string, reason: string, value: unknown, allowed: string): void {
        const p: Problem = { key: this.key(key), reason, value, allowed };
        this.problems.add(p);
    }

    object(raw: unknown, key: string, allowedKeys: readonly string[]): Record<string, unknown> {
        if (raw === undefined || raw === null) return {};
        if (typeof raw !== "object" || Array.isArray(raw)) {
            this.fail(key, "must be an object", raw, `an object with keys ${allowedKeys.join(", ")}`);
            return {};
        }
        const obj = raw as Record<string, unknown>;
        for (const k of Object.keys(obj)) {
            if (!allowedKeys.includes(k)) {
                this.fail(`${key}.${k}`, "unknown key", obj[k], allowedKeys.join(", "));
            }
        }
        return obj;
    }

    string(raw: unknown, key: string, fallback: string, pattern: RegExp, allowed: string): string {
        if (raw === undefined || raw === null) return fallback;
        if (typeof raw !== "string" || !pattern.test(raw)) {
            this.fail(key, "invalid value", raw, allowed);
            return fallback;
        }
        return raw;
    }

    optionalString(raw: unknown, key: string, pattern: RegExp, allowed: string): string | undefined {
        if (raw === undefined || raw === null) return undefined;
        return this.string(raw, key, "", pattern, allowed) || undefined;
    }

    integer(raw: unknown, key: string, fallback: number, min: number, max: number): number {
        if (raw === undefined || raw === null) return fallback;
        const n = typeof raw === "string" && /^\d+$/.test(raw) ? Number(raw) : raw;
        if (typeof n !== "number" || !Number.isInteger(n) || n < min || n > max) {
            this.fail(key, "must be an integer in range", raw, `an integer from ${min} to ${max}`);
            return fallback;
        }
        return n;
    }

    boolean(raw: unknown, key: string, fallback: boolean): boolean {
        if (raw === undefined || raw === null) return fallback;
        if (raw === "true" || raw === true) return true;
        if (raw === "false" || raw === false) return false;
        this.fail(key, "must be a boolean", raw, "true or false");
        return fallback;
    }

    oneOf<T extends string>(raw: unknown, key: string, fallback: T, values: readonly T[]): T {
        if (raw === undefined || raw === null) return fallback;
        if (typeof raw !== "string" || !(values as readonly string[]).includes(raw)) {
            this.fail(key, "unknown value", raw, values.join(", "));
            return fallback;
        }
        return raw as T;
    }

    stringList(raw: unknown, key: string, fallback: readonly string[]): string[] {
        if (raw === undefined || raw === null) return [...fallback];
        if (!Array.isArray(raw) || raw.some((x) => typeof x !== "string")) {
            this.fail(key, "must be a list of strings", raw, "a YAML list of strings");
            return [...fallback];
        }
        return raw as string[];
    }
}

function resolveResources(r: Reader, raw: unknown, key: string, fallback: ContainerResources): ContainerResources {
    const obj = r.object(raw, key, ["requests", "limits"]);
    const quantity = (v: unknown, k: string, fb: string | undefined): string | undefined =>
        v === undefined ? fb : r.string(v, k, fb ?? "", QUANTITY, "a Kubernetes quantity such as 500m, 1, 512Mi, 2Gi") || fb;
    const req = r.object(obj.requests, `${key}.requests`, ["cpu", "memory"]);
    const lim = r.object(obj.limits, `${key}.limits`, ["cpu", "memory"]);
    const cpuLimit = quantity(lim.cpu, `${key}.limits.cpu`, fallback.limits.cpu);
    return {
        requests: {
            cpu: quantity(req.cpu, `${key}.requests.cpu`, fallback.requests.cpu)!,
            memory: quantity(req.memory, `${key}.requests.memory`, fallback.requests.memory)!,
        },
        limits: {
            memory: quantity(lim.memory, `${key}.limits.memory`, fallback.limits.memory)!,
            ...(cpuLimit ? { cpu: cpuLimit } : {}),
        },
    };
}

function resolveGethFlags(r: Reader, raw: unknown, key: string): string[] {
    const flags = r.stringList(raw, key, []);
    flags.forEach((flag, i) => {
        const name = flag.split("=")[0];
        if ((MANAGED_GETH_FLAGS as readonly string[]).includes(name)) {
            r.fail(`${key}[${i}]`, `${name} is managed by qstack and cannot be overridden`, flag, `any geth flag except ${MANAGED_GETH_FLAGS.join(" ")}`);
        } else if (name.startsWith("-") && !name.startsWith("--")) {
            r.fail(`${key}[${i}]`, "use the long '--flag' form", flag, "flags written as --name or --name=value");
        }
    });
    return flags;
}

function resolveNode(r: Reader, raw: unknown, i: number): NodeConfig {
    const key = `nodes[${i}]`;
    const obj = r.object(raw, key, NODE_KEYS);
    let name = `node-${i}`;
    if (typeof obj.name !== "string" || !DNS_LABEL.test(obj.name) || obj.name.length > MAX_NODE_NAME) {
        r.fail(`${key}.name`, "invalid node name", obj.name, `a DNS-1123 label: lowercase letters, digits and '-', starting and ending alphanumeric, at most ${MAX_NODE_NAME} characters`);
    } else {
        name = obj.name;
    }
    const storage = r.object(obj.storage, `${key}.storage`, ["size", "storageClass"]);
    const resources = r.object(obj.resources, `${key}.resources`, ["quorum", "tessera"]);
    const ports = r.object(obj.nodePorts, `${key}.nodePorts`, ["p2p", "tessera", "raft"]);
    const port = (v: unknown, k: string) => (v === undefined ? undefined : r.integer(v, `${key}.nodePorts.${k}`, 0, 1, 65535) || undefined);
    const nodePorts: PinnedNodePorts = { p2p: port(ports.p2p, "p2p"), tessera: port(ports.tessera, "tessera"), raft: port(ports.raft, "raft") };
    return {
        name,
        role: r.oneOf<NodeRole>(obj.role, `${key}.role`, DEFAULTS.role, NODE_ROLES),
        tessera: r.boolean(obj.tessera, `${key}.tessera`, DEFAULTS.tessera),
        storage: {
            size: r.string(storage.size, `${key}.storage.size`, DEFAULTS.storageSize, QUANTITY, "a Kubernetes quantity such as 10Gi"),
            storageClass: r.optionalString(storage.storageClass, `${key}.storage.storageClass`, DNS_LABEL, "the name of a StorageClass"),
        },
        resources: {
            quorum: resolveResources(r, resources.quorum, `${key}.resources.quorum`, DEFAULTS.quorumResources),
            tessera: resolveResources(r, resources.tessera, `${key}.resources.tessera`, DEFAULTS.tesseraResources),
        },
        gethFlags: resolveGethFlags(r, obj.gethFlags, `${key}.gethFlags`),
        nodePorts,
    };
}

function resolveNodePortRange(r: Reader, raw: unknown): { min: number; max: number } {
    const text = raw === undefined ? DEFAULTS.nodePortRange : raw;
    const m = typeof text === "string" ? /^(\d+)-(\d+)$/.exec(text) : null;
    const min = m ? Number(m[1]) : NaN;
    const max = m ? Number(m[2]) : NaN;
    if (!m || min < 1 || max > 65535 || min > max) {
        r.fail("service.nodePortRange", "invalid port range", raw, "MIN-MAX within 1-65535, the API server's --service-node-port-range (default 30000-32767)");
        return { min: 30000, max: 32767 };
    }
    return { min, max };
}

/** `founds`: no genesisFrom, so this organization's validators are the network's first ones. */
function checkNodes(r: Reader, nodes: NodeConfig[], consensus: Consensus, range: { min: number; max: number }, founds: boolean): void {
    if (nodes.length === 0) {
        r.fail("nodes", "at least one node is required", [], "a list of nodes, e.g. - name: validator1");
        return;
    }
    const seen = new Map<string, number>();
    nodes.forEach((n, i) => {
        const first = seen.get(n.name);
        if (first !== undefined) r.fail(`nodes[${i}].name`, `duplicate node name (also nodes[${first}])`, n.name, "names unique within the consortium");
        else seen.set(n.name, i);
    });
    const validators = nodes.filter((n) => n.role === "validator");
    // A joiner may run members only (an observer organization): the founder's validators seal.
    if (validators.length === 0 && consensus !== "raft" && founds) {
        r.fail("nodes", `${consensus} needs at least one node with role validator to found a network`, nodes.map((n) => `${n.name}:${n.role}`),
            `at least one node with role: validator, or join a founder's network with ${r.key("genesisFrom")}`);
    }
    if (consensus === "raft") {
        nodes.forEach((n, i) => {
            if (n.role === "member") {
                r.fail(`nodes[${i}].role`, "a raft member (learner) cannot join at genesis: every node in static-nodes.json is a voting raft peer, and learners are only added to a running cluster with raft.addLearner",
                    n.role, "validator (every raft peer can mint)");
            }
        });
    }
    const pinned = new Map<number, string>();
    nodes.forEach((n, i) => {
        for (const [kind, port] of Object.entries(n.nodePorts) as [keyof PinnedNodePorts, number | undefined][]) {
            if (port === undefined) continue;
            const key = `nodes[${i}].nodePorts.${kind}`;
            if (port < range.min || port > range.max) {
                r.fail(key, "NodePort outside the cluster's NodePort range", port, `${range.min}-${range.max} (${r.key("service.nodePortRange")})`);
            }
            if (kind === "raft" && consensus !== "raft") r.fail(key, `a raft port is only used with consensus raft (consensus is ${consensus})`, port, "omit nodePorts.raft");
            if (kind === "tessera" && !n.tessera) r.fail(key, "node has tessera: false", port, "omit nodePorts.tessera");
            const other = pinned.get(port);
            if (other) r.fail(key, `NodePort already used by ${other}`, port, "a NodePort used once in the cluster");
            pinned.set(port, key);
        }
    });
}

function resolveImportedKeys(r: Reader, raw: unknown, nodes: NodeConfig[], isSecret: boolean): Record<string, ImportedNodeKeys> {
    if (raw === undefined || raw === null) return {};
    if (!isSecret) {
        r.fail("importedKeys", "imported keys must be stored as a Pulumi secret", REDACTED,
            r.source === "stack-config" ? "pulumi config set --secret --path 'qstack:importedKeys.<node>.nodeKey' …" : "pulumi.secret(…) around the keys, or config.requireSecret(…)");
    }
    const fields = ["nodeKey", "tesseraPrivateKey", "accountKey", "accountKeystore", "accountPassword"] as const;
    const obj = r.object(raw, "importedKeys", nodes.map((n) => n.name));
    const out: Record<string, ImportedNodeKeys> = {};
    for (const [node, value] of Object.entries(obj)) {
        if (!nodes.some((n) => n.name === node)) continue; // reported as unknown key above
        const entry = r.object(value, `importedKeys.${node}`, fields);
        for (const f of fields) {
            if (entry[f] !== undefined && typeof entry[f] !== "string") {
                r.fail(`importedKeys.${node}.${f}`, "must be a string", REDACTED, "the file contents as a string");
            }
        }
        const keys = entry as ImportedNodeKeys;
        if (keys.accountKey !== undefined && keys.accountKeystore !== undefined) {
            r.fail(`importedKeys.${node}`, "Only one of `accountKey` or `accountKeystore` can be provided.", REDACTED, "accountKey, or accountKeystore with accountPassword");
        }
        if (keys.accountPassword !== undefined && keys.accountKeystore === undefined) {
            r.fail(`importedKeys.${node}.accountPassword`, "accountPassword only applies to accountKeystore", REDACTED, "set accountKeystore too, or drop accountPassword");
        }
        // Parse every imported key now (with placeholder seeds) so a malformed key fails here.
        const zeroSeeds = { nodeKey: "11".repeat(32), account: "22".repeat(32), tessera: "33".repeat(32) };
        r.problems.capture(() => deriveNodeKeyMaterial(zeroSeeds, keys, r.key(`importedKeys.${node}`)));
        out[node] = keys;
    }
    return out;
}

const STACK_NAME = /^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+){0,2}$/;

/** The largest round-timeout cap accepted: a day, beyond which a cap no longer bounds recovery usefully. */
const MAX_REQUEST_TIMEOUT_LIMIT = 86_400;

/**
 * `maxRequestTimeoutSeconds`: QBFT only (GoQuorum 24.4.1 reads it from the qbft genesis object;
 * IBFT's core never reads it), a founder's setting (a joiner adopts the founder's genesis), and
 * not below the base timeout: a smaller cap makes round 1's timeout shorter than round 0's,
 * which geth logs as an overflow error on every round (qbft/core/core.go newRoundChangeTimer).
 */
function resolveMaxRequestTimeout(r: Reader, raw: RawConfig, consensus: Consensus, requestTimeoutSeconds: number): number | undefined {
    const key = "maxRequestTimeoutSeconds";
    const value = raw.maxRequestTimeoutSeconds;
    if (value === undefined || value === null) return undefined;
    if (consensus !== "qbft") {
        r.fail(key, `only QBFT caps its round timeout (consensus is ${consensus}; GoQuorum 24.4.1 ignores the setting there)`, value, "omit it, or use consensus qbft");
        return undefined;
    }
    if (raw.genesisFrom !== undefined) {
        r.fail(key, `is part of the genesis, which this organization adopts from its founder (${r.key("genesisFrom")})`, value, "omit it here; the founding organization sets it");
        return undefined;
    }
    const allowed = `an integer from ${r.key("requestTimeoutSeconds")} (${requestTimeoutSeconds}) to ${MAX_REQUEST_TIMEOUT_LIMIT}`;
    const cap = r.integer(value, key, 0, 1, MAX_REQUEST_TIMEOUT_LIMIT);
    if (cap > 0 && cap < requestTimeoutSeconds) {
        r.fail(key, `is below ${r.key("requestTimeoutSeconds")}: round 1 would time out sooner than round 0, which GoQuorum logs as an overflow error on every round`, value, allowed);
        return undefined;
    }
    return cap === 0 ? undefined : cap;
}

function resolvePartners(r: Reader, raw: RawConfig): Pick<NetworkConfig, "partners" | "partnerFiles" | "genesisFrom"> {
    const partners = r.stringList(raw.partners, "partners", []);
    const partnerFiles = r.stringList(raw.partnerFiles, "partnerFiles", []);
    partners.forEach((p, i) => {
        if (!STACK_NAME.test(p)) r.fail(`partners[${i}]`, "not a stack name", p, "a fully qualified stack name, e.g. organization/qstack/clusterB");
        if (partners.indexOf(p) !== i) r.fail(`partners[${i}]`, "listed twice", p, "each partner once");
    });
    partnerFiles.forEach((f, i) => {
        if (!f.trim()) r.fail(`partnerFiles[${i}]`, "empty path", f, "a path to a file written by qctl external-nodes export");
        if (partnerFiles.indexOf(f) !== i) r.fail(`partnerFiles[${i}]`, "listed twice", f, "each file once");
    });
    let genesisFrom: string | undefined;
    if (raw.genesisFrom !== undefined) {
        if (typeof raw.genesisFrom !== "string" || ![...partners, ...partnerFiles].includes(raw.genesisFrom)) {
            r.fail("genesisFrom", "must name one of the configured partners", raw.genesisFrom, [...partners, ...partnerFiles].join(", ") || `add the founder to ${r.key("partners")} or ${r.key("partnerFiles")} first`);
        } else {
            genesisFrom = raw.genesisFrom;
        }
    }
    return { partners, partnerFiles, genesisFrom };
}

/**
 * Validates and defaults the raw stack config.
 * @throws QstackError INVALID_CONFIG listing every problem.
 */
export function resolveConfig(settings: RawConfig | OrganizationSettings, options: ResolveOptions = {}): NetworkConfig {
    // Typed or not, every field is checked as if it came from YAML.
    const raw = settings as RawConfig;
    const problems = new ProblemList();
    const source = options.source ?? "stack-config";
    const r = new Reader(problems, source);
    for (const k of Object.keys(raw)) {
        if (!(CONFIG_KEYS as readonly string[]).includes(k)) r.fail(k, "unknown key", raw[k] === undefined ? undefined : "…", CONFIG_KEYS.join(", "));
    }
    let org = "org";
    if (raw.org === undefined) r.fail("org", "required", undefined, "a DNS-1123 label naming your organization, e.g. org-a");
    else org = r.string(raw.org, "org", org, DNS_LABEL, "a DNS-1123 label (lowercase letters, digits, '-'), at most 30 characters");
    if (org.length > 30) r.fail("org", "too long", org, "at most 30 characters");

    const consensus = r.oneOf<Consensus>(raw.consensus, "consensus", DEFAULTS.consensus, CONSENSUS_ALGORITHMS);
    // GoQuorum refuses chain id and network id 1 (eth/backend.go); say why rather than "out of range".
    const chainId =
        raw.chainId === 1 || raw.chainId === "1"
            ? (r.fail("chainId", "chain id 1 is Ethereum mainnet, which GoQuorum refuses", raw.chainId, `an integer from 2 to ${Number.MAX_SAFE_INTEGER}`), DEFAULTS.chainId)
            : r.integer(raw.chainId, "chainId", DEFAULTS.chainId, 2, Number.MAX_SAFE_INTEGER);
    const quorumRaw = r.object(raw.quorum, "quorum", ["version", "image"]);
    const tesseraRaw = r.object(raw.tessera, "tessera", ["version", "image"]);
    const quorumVersion = r.string(quorumRaw.version, "quorum.version", DEFAULTS.quorumVersion, VERSION, "an image tag such as 24.4.1");
    const tesseraVersion = r.string(tesseraRaw.version, "tessera.version", DEFAULTS.tesseraVersion, VERSION, "an image tag such as 24.4.2");
    const service = r.object(raw.service, "service", ["type", "nodePortRange"]);
    const nodePortRange = resolveNodePortRange(r, service.nodePortRange);

    const nodesRaw = raw.nodes;
    let nodes: NodeConfig[] = [];
    if (nodesRaw === undefined) r.fail("nodes", "required", undefined, "a list of nodes, e.g. - name: validator1");
    else if (!Array.isArray(nodesRaw)) r.fail("nodes", "must be a list", nodesRaw, "a YAML list of nodes");
    else nodes = nodesRaw.map((n, i) => resolveNode(r, n, i));
    if (nodesRaw !== undefined) checkNodes(r, nodes, consensus, nodePortRange, raw.genesisFrom === undefined);

    const rpcApis = r.stringList(raw.rpcApis, "rpcApis", DEFAULTS.rpcApis);
    rpcApis.forEach((api, i) => {
        if (api === "admin" || api === "personal") {
            r.fail(`rpcApis[${i}]`, `the ${api} API is never served over HTTP/WS; use qctl geth attach (IPC) instead`, api, EXPOSABLE_RPC_APIS.join(", "));
        } else if (api === "quorum") {
            r.fail(`rpcApis[${i}]`, "GoQuorum 24.4.1 has no quorum API namespace (geth would log it as unavailable)", api, EXPOSABLE_RPC_APIS.join(", "));
        } else if (!(EXPOSABLE_RPC_APIS as readonly string[]).includes(api)) {
            r.fail(`rpcApis[${i}]`, "unknown API namespace", api, EXPOSABLE_RPC_APIS.join(", "));
        }
    });

    const ingress = r.object(raw.ingress, "ingress", ["enabled", "host", "className", "tlsSecretName"]);
    const ingressEnabled = r.boolean(ingress.enabled, "ingress.enabled", DEFAULTS.ingressEnabled);
    const sc = r.object(raw.securityContext, "securityContext", ["runAsUser", "runAsGroup", "fsGroup"]);
    const np = r.object(raw.networkPolicy, "networkPolicy", ["enabled", "externalFrom", "allowCidrs"]);
    const allowCidrs = r.stringList(np.allowCidrs, "networkPolicy.allowCidrs", []);
    allowCidrs.forEach((c, i) => {
        if (!isIpv4Cidr(c)) r.fail(`networkPolicy.allowCidrs[${i}]`, "not an IPv4 CIDR", c, "a.b.c.d/n, e.g. 203.0.113.7/32");
    });
    const monitoring = r.object(raw.monitoring, "monitoring", ["serviceMonitor", "prometheus", "grafana", "prometheusImage", "grafanaImage"]);
    const explorer = r.object(raw.explorer, "explorer", ["enabled", "image"]);
    const acceptance = r.object(raw.acceptanceTest, "acceptanceTest", ["enabled", "node", "timeoutSeconds", "kubectlImage"]);
    const nodeIp = raw.nodeIp === undefined ? undefined : r.optionalString(raw.nodeIp, "nodeIp", /^.+$/, `${ADDRESS_ALLOWED} that partners can reach`);
    const nodeIpProblem = nodeIp === undefined ? undefined : addressProblem(nodeIp);
    if (nodeIpProblem) r.fail("nodeIp", nodeIpProblem, nodeIp, `${ADDRESS_ALLOWED} that partners can reach`);

    const requestTimeoutSeconds = r.integer(raw.requestTimeoutSeconds, "requestTimeoutSeconds", DEFAULTS.requestTimeoutSeconds, 1, 3600);
    const config: NetworkConfig = {
        settingsSource: source,
        org,
        namespace: r.string(raw.namespace, "namespace", org, DNS_LABEL, "a DNS-1123 label of at most 63 characters"),
        createNamespace: r.boolean(raw.createNamespace, "createNamespace", DEFAULTS.createNamespace),
        chainId,
        consensus,
        blockPeriodSeconds: r.integer(raw.blockPeriodSeconds, "blockPeriodSeconds", DEFAULTS.blockPeriodSeconds, 1, 3600),
        epochLength: r.integer(raw.epochLength, "epochLength", DEFAULTS.epochLength, 1, 10_000_000),
        requestTimeoutSeconds,
        maxRequestTimeoutSeconds: resolveMaxRequestTimeout(r, raw, consensus, requestTimeoutSeconds),
        raftBlockTimeMs: r.integer(raw.raftBlockTimeMs, "raftBlockTimeMs", DEFAULTS.raftBlockTimeMs, 1, 60_000),
        gasLimit: r.string(raw.gasLimit, "gasLimit", DEFAULTS.gasLimit, /^0x[0-9a-fA-F]{1,16}$/, "0x-hex, e.g. 0xE0000000"),
        accountBalance: r.string(raw.accountBalance, "accountBalance", DEFAULTS.accountBalance, /^\d{1,78}$/, "a decimal number of wei"),
        txnSizeLimit: r.integer(raw.txnSizeLimit, "txnSizeLimit", DEFAULTS.txnSizeLimit, 32, 128),
        maxCodeSizeKb: r.integer(raw.maxCodeSizeKb, "maxCodeSizeKb", DEFAULTS.maxCodeSizeKb, 24, 128),
        quorum: {
            version: quorumVersion,
            image: r.string(quorumRaw.image, "quorum.image", `${DEFAULTS.quorumImageRepository}:${quorumVersion}`, IMAGE, "an image reference"),
        },
        tessera: {
            version: tesseraVersion,
            image: r.string(tesseraRaw.image, "tessera.image", `${DEFAULTS.tesseraImageRepository}:${tesseraVersion}`, IMAGE, "an image reference"),
        },
        nodes,
        service: { type: r.oneOf(service.type, "service.type", DEFAULTS.serviceType, [DEFAULTS.serviceType]), nodePortRange },
        nodeIp,
        ingress: {
            enabled: ingressEnabled,
            host: ingressHost(r, ingress.host),
            className: r.optionalString(ingress.className, "ingress.className", DNS_LABEL, "an IngressClass name"),
            tlsSecretName: r.optionalString(ingress.tlsSecretName, "ingress.tlsSecretName", DNS_LABEL, "the name of a TLS Secret"),
        },
        networkPolicy: {
            enabled: r.boolean(np.enabled, "networkPolicy.enabled", DEFAULTS.networkPolicyEnabled),
            externalFrom: r.oneOf(np.externalFrom, "networkPolicy.externalFrom", DEFAULTS.networkPolicyExternalFrom, ["partners", "anywhere"] as const),
            allowCidrs,
        },
        dataRetention: r.oneOf(raw.dataRetention, "dataRetention", DEFAULTS.dataRetention, ["retain", "delete"] as const),
        monitoring: {
            serviceMonitor: r.boolean(monitoring.serviceMonitor, "monitoring.serviceMonitor", DEFAULTS.serviceMonitor),
            prometheus: r.boolean(monitoring.prometheus, "monitoring.prometheus", DEFAULTS.prometheus),
            grafana: r.boolean(monitoring.grafana, "monitoring.grafana", DEFAULTS.grafana),
            prometheusImage: r.string(monitoring.prometheusImage, "monitoring.prometheusImage", DEFAULTS.prometheusImage, IMAGE, "an image reference"),
            grafanaImage: r.string(monitoring.grafanaImage, "monitoring.grafanaImage", DEFAULTS.grafanaImage, IMAGE, "an image reference"),
        },
        explorer: {
            enabled: r.boolean(explorer.enabled, "explorer.enabled", DEFAULTS.explorerEnabled),
            image: r.string(explorer.image, "explorer.image", DEFAULTS.explorerImage, IMAGE, "an image reference"),
        },
        acceptanceTest: {
            enabled: r.boolean(acceptance.enabled, "acceptanceTest.enabled", DEFAULTS.acceptanceTestEnabled),
            node: r.optionalString(acceptance.node, "acceptanceTest.node", DNS_LABEL, `the name of a node in ${r.key("nodes")} that runs Tessera`),
            timeoutSeconds: r.integer(acceptance.timeoutSeconds, "acceptanceTest.timeoutSeconds", DEFAULTS.acceptanceTestTimeoutSeconds, 120, 86400),
            kubectlImage: r.string(acceptance.kubectlImage, "acceptanceTest.kubectlImage", DEFAULTS.kubectlImage, IMAGE, "an image reference"),
        },
        securityContext: {
            runAsUser: r.integer(sc.runAsUser, "securityContext.runAsUser", DEFAULTS.securityContext.runAsUser, 1, 2 ** 31 - 1),
            runAsGroup: r.integer(sc.runAsGroup, "securityContext.runAsGroup", DEFAULTS.securityContext.runAsGroup, 1, 2 ** 31 - 1),
            fsGroup: r.integer(sc.fsGroup, "securityContext.fsGroup", DEFAULTS.securityContext.fsGroup, 1, 2 ** 31 - 1),
        },
        rpcApis,
        gethVerbosity: r.integer(raw.gethVerbosity, "gethVerbosity", DEFAULTS.gethVerbosity, 0, 5),
        importedKeys: resolveImportedKeys(r, raw.importedKeys, nodes, options.secretKeys?.has("importedKeys") ?? false),
        ...resolvePartners(r, raw),
    };
    if (config.consensus === "raft" && config.genesisFrom !== undefined) {
        r.fail(
            "genesisFrom",
            "joining another organization's raft cluster is not automated yet: a joiner's nodes must be added with raft.addPeer on the founder's cluster and started with --raftjoinexisting <their new raft id>",
            config.genesisFrom,
            "qbft, ibft or clique for multi-organization networks (validators are voted in automatically); raft within one organization",
        );
    }
    if (config.monitoring.grafana && !config.monitoring.prometheus) {
        r.fail("monitoring.grafana", "Grafana needs the in-namespace Prometheus as its data source", true, "set monitoring.prometheus: true as well, or leave grafana off");
    }
    const sender = config.acceptanceTest.node;
    if (sender !== undefined) {
        const node = nodes.find((n) => n.name === sender);
        if (!node || !node.tessera) {
            r.fail("acceptanceTest.node", node ? "the sending node must run Tessera (the test sends a private transaction)" : "no such node", sender,
                nodes.filter((n) => n.tessera).map((n) => n.name).join(", ") || "a node with tessera: true");
        }
    } else if (config.acceptanceTest.enabled && nodes.length > 0 && !nodes.some((n) => n.tessera)) {
        r.fail("acceptanceTest.enabled", "the acceptance test sends a private transaction, but no node runs Tessera", true, "at least one node with tessera: true");
    }
    if (ingressEnabled && !config.ingress.host) {
        r.fail("ingress.host", "an enabled ingress needs a host name (nodes are served as <node>.<host>)", undefined, "a DNS host name, e.g. rpc.example.com");
    }
    problems.throwIfAny("INVALID_CONFIG", `invalid ${source === "stack-config" ? "qstack config" : "QuorumOrganization arguments"} (${problems.length} problem${problems.length === 1 ? "" : "s"})`);
    return config;
}
