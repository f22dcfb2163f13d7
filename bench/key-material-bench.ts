/**
 * Key material for N nodes (part of `npm run bench`), two ways in one run:
 *
 * - qstack: `deriveNodeKeyMaterial` in process, per node: nodekey, enode id, validator address,
 *   Tessera key pair and the account keystore (scrypt), from fresh random seeds.
 * - the path Qubernetes took (templates/quorum/gen-keys.sh.erb, ../shared/docs/qubernetes-reference.md),
 *   per node: `bootnode -genkey nodekey`, `bootnode -nodekeyhex <key> -writeaddress > enode`, and
 *   Tessera's `-keygen`, each a process of its own. bootnode is GoQuorum 24.4.1's and Tessera
 *   0.10.6-SNAPSHOT's (the lab toolchain's builds; Tessera 24.4.2 cannot be built here). That
 *   path makes no account keystore at all, so the comparison leaves qstack the larger job.
 *
 * Both paths must agree, or the figure means nothing: for qstack's nodekeys, bootnode must write
 * the enode ids qstack derives; for bootnode's and Tessera's random keys, qstack must derive the
 * enode ids bootnode wrote and the public keys Tessera wrote.
 */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deriveNodeKeyMaterial, seedsFromSecret } from "../core/keys/node-key-material";
import { computeEnodeId } from "../core/keys/secp256k1-key";
import { computeTesseraPublicKey, parseTesseraPrivateKey } from "../core/keys/tessera-key";
import { ensureBusyboxStatic } from "../lab/images/busybox";
import { quorumVersionOf } from "../lab/images/quorum-image";
import { tesseraVersionOf } from "../lab/images/tessera-image";
import { toolchainPath } from "../lab/lab-env";

export interface KeyMaterialFigure {
    readonly nodes: number;
    readonly qstack: { readonly runs: number; readonly medianMs: number };
    readonly qubernetesPath: { readonly runs: number; readonly medianMs: number; readonly tools: string };
    /** qubernetesPath.medianMs / qstack.medianMs */
    readonly ratio: number;
    /** Keys on which both sides agree, out of `nodes` each. */
    readonly agreement: { readonly qstackNodekeysInBootnode: number; readonly bootnodeNodekeysInQstack: number; readonly tesseraKeysInQstack: number };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const log = (line: string) => process.stderr.write(`[bench] key material: ${line}\n`);

function timeMs(fn: () => void): number {
    const start = process.hrtime.bigint();
    fn();
    return Number(process.hrtime.bigint() - start) / 1e6;
}

/** One node's keys the Qubernetes way, into `dir`. */
function qubernetesNode(dir: string, env: NodeJS.ProcessEnv): void {
    const run = (cmd: string, args: string[], input?: string) => execFileSync(cmd, args, { cwd: dir, env, input, stdio: ["pipe", "pipe", "ignore"] });
    run("bootnode", ["-genkey", "nodekey"]);
    const enode = run("bootnode", ["-nodekeyhex", readFileSync(join(dir, "nodekey"), "utf8").trim(), "-writeaddress"]);
    writeFileSync(join(dir, "enode"), enode);
    // Tessera asks twice for a password to lock the key; Qubernetes' keys are unlocked (empty).
    run("tessera", ["-keygen", "-filename", join(dir, "tm")], "\n\n");
}

export function keyMaterialBench(nodes = 64, runs = 5, externalRuns = 3): KeyMaterialFigure {
    const env = { ...process.env, PATH: toolchainPath(["quorum", "tessera"]) };
    const [quorumBin, tesseraBin] = (env.PATH as string).split(":");
    const tools = `GoQuorum ${quorumVersionOf(join(quorumBin, "geth"))} bootnode, Tessera ${tesseraVersionOf(join(tesseraBin, "..", "lib", "tessera-app.jar"), ensureBusyboxStatic(log).binary)} -keygen`;

    log(`qstack, ${runs} runs of ${nodes} nodes`);
    const qstackRuns = Array.from({ length: runs }, () =>
        timeMs(() => {
            for (let i = 0; i < nodes; i++) deriveNodeKeyMaterial(seedsFromSecret(randomBytes(32).toString("hex")));
        }),
    );

    const root = mkdtempSync(join(tmpdir(), "qstack-keybench-"));
    try {
        const externalMs: number[] = [];
        for (let r = 0; r < externalRuns; r++) {
            const runDir = join(root, `run${r}`);
            externalMs.push(
                timeMs(() => {
                    for (let i = 0; i < nodes; i++) {
                        const dir = join(runDir, `key${i}`);
                        mkdirSync(dir, { recursive: true });
                        qubernetesNode(dir, env);
                        if ((i + 1) % 16 === 0) log(`bootnode + Tessera run ${r + 1}/${externalRuns}: ${i + 1}/${nodes} nodes`);
                    }
                }),
            );
        }
        // Agreement, untimed: the last run's files against qstack's derivation, and qstack's keys through bootnode.
        const last = join(root, `run${externalRuns - 1}`);
        let bootnodeNodekeysInQstack = 0;
        let tesseraKeysInQstack = 0;
        let qstackNodekeysInBootnode = 0;
        for (let i = 0; i < nodes; i++) {
            const dir = join(last, `key${i}`);
            const nodekey = readFileSync(join(dir, "nodekey"), "utf8").trim();
            if (computeEnodeId(nodekey) === readFileSync(join(dir, "enode"), "utf8").trim()) bootnodeNodekeysInQstack++;
            const tesseraPrivate = parseTesseraPrivateKey(readFileSync(join(dir, "tm.key"), "utf8"), `${dir}/tm.key`);
            if (computeTesseraPublicKey(tesseraPrivate) === readFileSync(join(dir, "tm.pub"), "utf8").trim()) tesseraKeysInQstack++;
            const mine = deriveNodeKeyMaterial(seedsFromSecret(randomBytes(32).toString("hex")));
            const written = execFileSync("bootnode", ["-nodekeyhex", mine.nodeKey, "-writeaddress"], { env, encoding: "utf8" }).trim();
            if (written === mine.enodeId) qstackNodekeysInBootnode++;
        }
        const agreement = { qstackNodekeysInBootnode, bootnodeNodekeysInQstack, tesseraKeysInQstack };
        const disagree = Object.entries(agreement).filter(([, n]) => n !== nodes);
        if (disagree.length > 0) throw new Error(`key material: qstack and bootnode/Tessera disagree (${disagree.map(([k, n]) => `${k} ${n}/${nodes}`).join(", ")}), so no figure is reported`);
        const qstackMs = median(qstackRuns);
        const qubernetesMs = median(externalMs);
        return {
            nodes,
            qstack: { runs, medianMs: Math.round(qstackMs * 10) / 10 },
            qubernetesPath: { runs: externalRuns, medianMs: Math.round(qubernetesMs), tools },
            ratio: Math.round(qubernetesMs / qstackMs),
            agreement,
        };
    } finally {
        rmSync(root, { recursive: true, force: true });
    }
}
