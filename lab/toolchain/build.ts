/**
 * `npm run lab:toolchain`: builds (first time) or finds every tool the e2e suite uses, then the
 * lab's container images from them, with progress on stderr. CI runs it as its own step.
 */
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { E2E_TOOLS, REPO, toolchainPath } from "../lab-env";

const start = Date.now();
toolchainPath(E2E_TOOLS);
process.stderr.write(`[toolchain] ${E2E_TOOLS.join(", ")}: ready in ${Math.round((Date.now() - start) / 1000)} s\n`);
const images = Date.now();
execFileSync("npx", ["--no-install", "ts-node", "--transpile-only", join(REPO, "lab", "images", "build-images.ts")], { cwd: REPO, stdio: ["ignore", "ignore", "inherit"] });
process.stderr.write(`[images] ready in ${Math.round((Date.now() - images) / 1000)} s\n`);
