/**
 * `qctl render --create-keys`: a stack never deployed holds no keys, and render never makes any
 * up (keys it made would be lost, or differ from the ones `pulumi up` would then make). The
 * stack's own program generates them, as Pulumi secrets in its state: a targeted `pulumi up`
 * creates only the missing `random.RandomPassword`s and the components above them. No
 * Kubernetes object is targeted, so the engine creates none and contacts no cluster (it records
 * the providers' configuration, as for any update).
 */
import { QstackError } from "../../core/errors";
import type { MissingSecret } from "./render-program";
import { pulumiCli, type PulumiCli } from "./stack-state";

/**
 * What the targeted update must create: each missing secret and whichever of its ancestors the
 * state lacks. An ancestor already deployed is left out, so a deployed stack's outputs (what
 * partners read) are not re-registered by an update that deploys nothing.
 */
export function keyTargets(missing: readonly MissingSecret[], deployed: ReadonlySet<string>): string[] {
    return [...new Set(missing.flatMap((m) => m.targets))].filter((urn) => !deployed.has(urn)).sort();
}

/** Runs the targeted `pulumi up` that stores the missing secrets in the stack's state. @throws QstackError STACK_FAILED */
export async function createMissingSecrets(stack: string, cwd: string, targets: readonly string[], cli: PulumiCli = pulumiCli): Promise<void> {
    try {
        await cli(["up", "--yes", "--skip-preview", "--non-interactive", "--stack", stack, ...targets.flatMap((t) => ["--target", t])], cwd);
    } catch (e) {
        throw new QstackError("STACK_FAILED", [
            { key: "--create-keys", reason: `the targeted pulumi up that stores the keys failed: ${(e as Error).message}`, value: stack, allowed: "a stack whose program runs (pulumi preview shows why not)" },
        ]);
    }
}
