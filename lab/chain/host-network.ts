/**
 * A GoQuorum network of plain host processes on loopback, built from what qstack generates for
 * a cluster: the genesis (core/genesis), each node's key material (core/keys), its geth argument
 * vector (core/node/geth-args), the peer lists (core/peers) and the reconciler loop
 * (core/node/reconciler). Only what cannot be shared on one machine is changed: datadir and key
 * paths, ports, and listen addresses (127.0.0.1 instead of the pod's 0.0.0.0). It runs the lab
 * toolchain's geth, GoQuorum 24.4.1 built from its upstream source.
 *
 * This is the smallest real chain: no Kubernetes, no Tessera. It exists so that claims about
 * geth's behaviour (the reconciler's console calls, the genesis format) are proven on geth.
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import type { NodeRole } from "../../core/config/schema";
import { DEFAULTS } from "../../core/config/schema";
import { buildGenesis, type Genesis } from "../../core/genesis/genesis";
import { deriveNodeKeyMaterial, seedsFromSecret, type NodeKeyMaterial } from "../../core/keys/node-key-material";
import { buildGethArgs } from "../../core/node/geth-args";
import { buildReconcilerCommand, RECONCILE_IDLE_INTERVAL_SECONDS, RECONCILE_INTERVAL_SECONDS } from "../../core/node/reconciler";
import { buildStaticNodes } from "../../core/peers/peer-lists";
import { waitFor } from "./deadline";

const run = promisify(execFile);

export interface HostNode {
    readonly name: string;
    readonly role: NodeRole;
    readonly keys: NodeKeyMaterial;
    readonly dir: string;
    readonly datadir: string;
    readonly ipc: string;
    readonly ports: { readonly p2p: number; readonly http: number; readonly ws: number; readonly metrics: number };
    /** As in static-nodes.json, with the loopback address and this node's p2p port. */
    readonly enodeUrl: string;
}

export interface ReconcilerFiles {
    readonly script: string;
    readonly status: string;
    readonly log: string;
}

export interface HostNetworkOptions {
    /** Scratch directory; removed by stop(). */
    readonly dir: string;
    /** The directory holding the lab's geth binary (lab/toolchain/ensure.sh quorum). */
    readonly gethBinDir: string;
    /** First port; node i uses basePort + 10·i … + 3. */
    readonly basePort: number;
    readonly chainId?: number;
    readonly blockPeriodSeconds?: number;
    /** The genesis' QBFT round timeout. @default DEFAULTS.requestTimeoutSeconds */
    readonly requestTimeoutSeconds?: number;
    /** The genesis' QBFT round-timeout cap. @default - none */
    readonly maxRequestTimeoutSeconds?: number;
}

/** Flags whose values name a path, port or listen address, i.e. what one machine cannot share. */
function relocate(args: readonly string[], node: HostNode): string[] {
    const values: Record<string, string> = {
        "--datadir": node.datadir,
        "--nodekey": join(node.dir, "nodekey"),
        "--port": String(node.ports.p2p),
        "--http.addr": "127.0.0.1",
        "--http.port": String(node.ports.http),
        "--ws.addr": "127.0.0.1",
        "--ws.port": String(node.ports.ws),
        "--metrics.addr": "127.0.0.1",
        "--metrics.port": String(node.ports.metrics),
    };
    return args.map((a, i) => (i > 0 && values[args[i - 1]] !== undefined ? values[args[i - 1]] : a));
}

export class HostGethNetwork {
    readonly nodes: HostNode[] = [];
    private readonly processes = new Map<string, ChildProcess>();
    private readonly loops = new Map<string, ChildProcess>();
    readonly chainId: number;
    readonly blockPeriodSeconds: number;

    constructor(readonly options: HostNetworkOptions) {
        this.chainId = options.chainId ?? DEFAULTS.chainId;
        this.blockPeriodSeconds = options.blockPeriodSeconds ?? DEFAULTS.blockPeriodSeconds;
        mkdirSync(options.dir, { recursive: true });
        // A test runner that dies mid-run must not leave geth processes behind.
        process.once("exit", () => this.kill());
    }

    /** Synchronous last resort: SIGKILL every process this network started. */
    private kill(): void {
        for (const p of [...this.loops.values()]) if (p.pid && p.exitCode === null) try { process.kill(-p.pid, "SIGKILL"); } catch { /* gone */ }
        for (const p of [...this.processes.values()]) if (p.exitCode === null) p.kill("SIGKILL");
    }

    private get env(): NodeJS.ProcessEnv {
        return { ...process.env, PATH: `${this.options.gethBinDir}:${process.env.PATH ?? ""}` };
    }

    /** Declares a node; its keys are derived from its name, as a stack derives them from its seeds. */
    add(name: string, role: NodeRole): HostNode {
        const index = this.nodes.length;
        const keys = deriveNodeKeyMaterial(seedsFromSecret(`qstack-lab-host/${name}`));
        const base = this.options.basePort + 10 * index;
        const dir = join(this.options.dir, name);
        const ports = { p2p: base, http: base + 1, ws: base + 2, metrics: base + 3 };
        const [enodeUrl] = buildStaticNodes([{ name, enodeId: keys.enodeId, host: "127.0.0.1", p2pPort: ports.p2p }], "qbft");
        const node: HostNode = { name, role, keys, dir, datadir: join(dir, "data"), ipc: join(dir, "data", "geth.ipc"), ports, enodeUrl };
        this.nodes.push(node);
        return node;
    }

    node(name: string): HostNode {
        const n = this.nodes.find((x) => x.name === name);
        if (!n) throw new Error(`no host node ${name}`);
        return n;
    }

    /** The founder's QBFT genesis, exactly as the organization component builds it. */
    genesisOf(validators: readonly HostNode[]): Genesis {
        return buildGenesis({
            consensus: "qbft",
            chainId: this.chainId,
            validators: validators.map((n) => n.keys.nodeAddress),
            cliqueSigners: [],
            alloc: this.nodes.map((n) => ({ address: n.keys.accountAddress, balance: DEFAULTS.accountBalance })),
            gasLimit: DEFAULTS.gasLimit,
            blockPeriodSeconds: this.blockPeriodSeconds,
            epochLength: DEFAULTS.epochLength,
            requestTimeoutSeconds: this.options.requestTimeoutSeconds ?? DEFAULTS.requestTimeoutSeconds,
            maxRequestTimeoutSeconds: this.options.maxRequestTimeoutSeconds,
            txnSizeLimit: DEFAULTS.txnSizeLimit,
            maxCodeSizeKb: DEFAULTS.maxCodeSizeKb,
        });
    }

    /** `geth init` from `genesis`, the node's key file, and its peer lists (as the init container lays them out). */
    async init(node: HostNode, genesis: Genesis, peers: readonly HostNode[]): Promise<string> {
        mkdirSync(node.datadir, { recursive: true });
        writeFileSync(join(node.dir, "nodekey"), node.keys.nodeKey, { mode: 0o600 });
        const genesisFile = join(node.dir, "genesis.json");
        writeFileSync(genesisFile, JSON.stringify(genesis, null, 2));
        this.writePeerLists(node, peers);
        const { stdout, stderr } = await run("geth", ["--datadir", node.datadir, "init", genesisFile], { env: this.env });
        return stdout + stderr;
    }

    /**
     * static-nodes.json and permissioned-nodes.json, as the peer-list ConfigMaps deliver them.
     * geth reads the first only at start, the second on every connection attempt.
     */
    writePeerLists(node: HostNode, peers: readonly HostNode[]): void {
        const list = JSON.stringify(peers.map((p) => p.enodeUrl), null, 2);
        writeFileSync(join(node.datadir, "static-nodes.json"), list);
        writeFileSync(join(node.datadir, "permissioned-nodes.json"), list);
    }

    /** The geth command line the StatefulSet would run, relocated for this machine. */
    argsOf(node: HostNode): string[] {
        const args = buildGethArgs({
            consensus: "qbft",
            chainId: this.chainId,
            nodeName: node.name,
            role: node.role,
            tessera: false,
            rpcApis: DEFAULTS.rpcApis,
            verbosity: DEFAULTS.gethVerbosity,
            raftBlockTimeMs: DEFAULTS.raftBlockTimeMs,
            extraFlags: [],
        });
        return relocate(args, node);
    }

    logOf(node: HostNode): string {
        return join(node.dir, "geth.log");
    }

    async start(node: HostNode): Promise<void> {
        const log = openSync(this.logOf(node), "a");
        const child = spawn("geth", this.argsOf(node), { env: this.env, stdio: ["ignore", log, log] });
        closeSync(log);
        this.processes.set(node.name, child);
        await waitFor(`${node.name}'s IPC socket ${node.ipc}`, 60_000, async () => {
            if (child.exitCode !== null) throw new Error(`geth exited with ${child.exitCode}; see ${this.logOf(node)}`);
            return existsSync(node.ipc) ? true : undefined;
        });
    }

    /** Runs console JavaScript over the node's IPC socket, as the pod's reconciler does. */
    async attach(node: HostNode, js: string): Promise<string> {
        const { stdout } = await run("geth", ["attach", "--exec", js, node.ipc], { env: this.env, maxBuffer: 16 * 1024 * 1024 });
        return stdout;
    }

    /** Evaluates a console expression and returns its JSON value. */
    async value<T = unknown>(node: HostNode, expression: string): Promise<T> {
        const out = await this.attach(node, `console.log("QVALUE " + JSON.stringify(${expression}))`);
        const line = /^QVALUE (.*)$/m.exec(out);
        if (!line) throw new Error(`${node.name}: no value for ${expression}: ${out.trim().slice(0, 300)}`);
        return JSON.parse(line[1]) as T;
    }

    /**
     * Starts the reconciler loop exactly as the pod's reconciler container runs it, with this
     * node's socket, script and status file, and the pod's idle-to-busy interval ratio. Its
     * output goes to `reconciler.log`.
     */
    startReconciler(node: HostNode, script: string, intervalSeconds: number): ReconcilerFiles {
        const files = this.reconcilerFiles(node);
        this.writeReconcileScript(node, script);
        const idleIntervalSeconds = intervalSeconds * (RECONCILE_IDLE_INTERVAL_SECONDS / RECONCILE_INTERVAL_SECONDS);
        const [sh, flag, loop] = buildReconcilerCommand({ ipc: node.ipc, script: files.script, statusFile: files.status, intervalSeconds, idleIntervalSeconds });
        const log = openSync(files.log, "a");
        const child = spawn(sh, [flag, loop], { env: this.env, stdio: ["ignore", log, log], detached: true });
        closeSync(log);
        this.loops.set(node.name, child);
        return files;
    }

    reconcilerFiles(node: HostNode): ReconcilerFiles {
        return { script: join(node.dir, "reconcile.js"), status: join(node.dir, "reconcile.status"), log: join(node.dir, "reconciler.log") };
    }

    /** Replaces the script the running loop loads, as a ConfigMap update does in the pod. */
    writeReconcileScript(node: HostNode, script: string): void {
        const { script: file } = this.reconcilerFiles(node);
        writeFileSync(`${file}.tmp`, script);
        renameSync(`${file}.tmp`, file);
    }

    stopReconciler(node: HostNode): void {
        const loop = this.loops.get(node.name);
        if (loop?.pid && loop.exitCode === null) process.kill(-loop.pid, "SIGKILL");
        this.loops.delete(node.name);
    }

    async stopNode(node: HostNode): Promise<void> {
        const child = this.processes.get(node.name);
        this.processes.delete(node.name);
        if (!child || child.exitCode !== null) return;
        const exited = new Promise<void>((r) => child.once("exit", () => r()));
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
        await exited;
        clearTimeout(timer);
    }

    /** Stops every loop and geth and removes the scratch directory. */
    async stop(): Promise<void> {
        for (const n of this.nodes) this.stopReconciler(n);
        await Promise.all(this.nodes.map((n) => this.stopNode(n)));
        rmSync(this.options.dir, { recursive: true, force: true });
    }
}
