/**
 * `npm run lab:toolchain`: builds (first time) or finds every tool the e2e suite uses, with
 * progress on stderr, and prints the bin directories. CI runs it as its own step.
 */
import { E2E_TOOLS, toolchainPath } from "../lab-env";

const start = Date.now();
toolchainPath(E2E_TOOLS);
process.stderr.write(`[toolchain] ${E2E_TOOLS.join(", ")}: ready in ${Math.round((Date.now() - start) / 1000)} s\n`);
