/**
 * `npm run lab:toolchain`: builds (first time) or finds every tool the e2e suite uses, then the
 * lab's container images from them, with progress on stderr. CI runs it as its own step.
 *
 * Cold, the recipes are built a few at a time, slowest first: one Go build already keeps both
 * cores busy while compiling, but module downloads, Maven and linking are mostly serial, so a
 * second and third build fill those gaps. ensure.sh locks per tool, so lanes never collide.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { E2E_TOOLS, REPO } from "../lab-env";

/** Lanes: measured best on the 2-core `polyglot` machine (see README, "Toolchain"). */
const LANES = Number(process.env.QSTACK_TOOLCHAIN_LANES ?? 3);
/**
 * Cold build seconds per recipe, from a cold toolchain build on `polyglot` (2026-12-02: empty
 * Go caches, three lanes at once, the compiler's GC off below 2 GiB; see ensure.sh); only the
 * order matters: the longest builds start first so none starts last and runs alone. The
 * provider stays the tail (started first, done at 1190 s of 1410 s).
 */
const COLD_SECONDS: Record<string, number> = {
    "pulumi-kubernetes": 1190, kubernetes: 817, pulumi: 550, prometheus: 385, tessera: 274, "kube-network-policies": 218,
    quorum: 168, containerd: 153, coredns: 149, kwok: 73, "kubernetes-node": 72, etcd: 62, runc: 51, "pulumi-random": 28,
    "cni-plugins": 16,
};

const running = new Set<ChildProcess>();

function ensure(tool: string): Promise<void> {
    return new Promise((resolve, reject) => {
        // Its own process group, so a failure elsewhere stops this build with all its go/mvn children.
        const child = spawn(join(REPO, "lab", "toolchain", "ensure.sh"), [tool], { stdio: ["ignore", "ignore", "inherit"], detached: true });
        running.add(child);
        child.on("error", reject);
        child.on("exit", (code) => {
            running.delete(child);
            if (code === 0) resolve();
            else reject(new Error(`[toolchain] ${tool}: ensure.sh exited ${code}`));
        });
    });
}

/**
 * A tool whose go.mod is aligned with the kubernetes tools (lab/toolchain/align-go-modules.sh)
 * starts after kubernetes is built: started beside it, both would compile the shared packages at
 * the same time instead of one reusing the other's from the build cache.
 */
function buildsAfter(tool: string): string | undefined {
    const goMod = join(REPO, "lab", "toolchain", "tools", tool, "go.mod");
    return existsSync(goMod) && readFileSync(goMod, "utf8").includes("// BEGIN aligned with tools/kubernetes") ? "kubernetes" : undefined;
}

async function buildAll(tools: string[]): Promise<void> {
    const queue = [...tools].sort((x, y) => (COLD_SECONDS[y] ?? 0) - (COLD_SECONDS[x] ?? 0));
    const done = new Map<string, Promise<void>>();
    const finished = new Set<string>();
    // Read each go.mod once: lanes ask again every time one of them looks for work.
    const after = new Map(tools.map((t) => [t, buildsAfter(t)]));
    const ready = (tool: string) => {
        const first = after.get(tool);
        return !first || !tools.includes(first) || finished.has(first);
    };
    const lane = async (): Promise<void> => {
        while (queue.length) {
            const next = queue.findIndex(ready);
            if (next < 0) {
                // Everything left waits for a build another lane is running.
                await Promise.race(queue.map((t) => done.get(after.get(t)!)).filter((p) => p));
                continue;
            }
            const [tool] = queue.splice(next, 1);
            const build = ensure(tool).then(() => void finished.add(tool));
            done.set(tool, build);
            await build;
        }
    };
    await Promise.all(Array.from({ length: Math.max(1, LANES) }, lane));
}

async function main(): Promise<void> {
    const start = Date.now();
    await buildAll(E2E_TOOLS);
    process.stderr.write(`[toolchain] ${E2E_TOOLS.join(", ")}: ready in ${Math.round((Date.now() - start) / 1000)} s\n`);
    const images = Date.now();
    execFileSync("npx", ["--no-install", "ts-node", "--transpile-only", join(REPO, "lab", "images", "build-images.ts")], { cwd: REPO, stdio: ["ignore", "ignore", "inherit"] });
    process.stderr.write(`[images] ready in ${Math.round((Date.now() - images) / 1000)} s\n`);
}

main().catch((err: Error) => {
    process.stderr.write(`${err.message}\n`);
    for (const child of running) if (child.pid) process.kill(-child.pid, "SIGTERM");
    process.exit(1);
});
