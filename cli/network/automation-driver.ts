/**
 * The real {@link StackDriver}: Pulumi's Automation API over the project's stacks (the same
 * backend and secrets provider the operator's `pulumi` uses, from the environment).
 */
import { LocalWorkspace, type Stack } from "@pulumi/pulumi/automation";
import { QstackError } from "../../core/errors";
import type { StackDriver } from "./converge";

/** Resource operations that are not changes. */
const UNCHANGED = new Set(["same", "read"]);

export class AutomationDriver implements StackDriver {
    private readonly stacks = new Map<string, Stack>();

    constructor(
        private readonly workDir: string,
        private readonly log: (stack: string, line: string) => void,
    ) {}

    async stack(name: string): Promise<Stack> {
        let s = this.stacks.get(name);
        if (!s) {
            try {
                s = await LocalWorkspace.selectStack({ stackName: name, workDir: this.workDir });
            } catch {
                s = await LocalWorkspace.createStack({ stackName: name, workDir: this.workDir });
            }
            this.stacks.set(name, s);
        }
        return s;
    }

    /** The stack's `qstack:genesisFrom`, if set. */
    async genesisFrom(name: string): Promise<string | undefined> {
        const config = await (await this.stack(name)).getAllConfig();
        return config["qstack:genesisFrom"]?.value;
    }

    async preview(name: string): Promise<number> {
        const result = await (await this.stack(name)).preview({ onOutput: (o) => this.forward(name, o) });
        return Object.entries(result.changeSummary ?? {})
            .filter(([op]) => !UNCHANGED.has(op))
            .reduce((sum, [, n]) => sum + (n ?? 0), 0);
    }

    async up(name: string): Promise<void> {
        await (await this.stack(name)).up({ onOutput: (o) => this.forward(name, o) });
    }

    /** The stack's raw `externalNodes` output. */
    async externalNodes(name: string): Promise<unknown> {
        const outputs = await (await this.stack(name)).outputs();
        const out = outputs.externalNodes;
        if (!out) {
            throw new QstackError("INVALID_ARGUMENT", [{ key: "-s", reason: "stack has no externalNodes output (not deployed yet?)", value: name, allowed: "a deployed qstack stack" }]);
        }
        return out.value;
    }

    private forward(stack: string, output: string): void {
        for (const line of output.split("\n")) if (line.trim()) this.log(stack, line);
    }
}

/** The founder among `stacks`: the one stack whose config has no genesisFrom. */
export async function findFounder(stacks: readonly string[], genesisFrom: (s: string) => Promise<string | undefined>): Promise<string> {
    const founders: string[] = [];
    for (const s of stacks) if ((await genesisFrom(s)) === undefined) founders.push(s);
    if (founders.length !== 1) {
        throw new QstackError("INVALID_CONFIG", [
            {
                key: "qstack:genesisFrom",
                reason: founders.length === 0 ? "every stack names a founder; none founds the network" : `${founders.length} stacks found the network (${founders.join(", ")})`,
                value: stacks.join(","),
                allowed: "exactly one stack without qstack:genesisFrom (the founder); every other stack sets it",
            },
        ]);
    }
    return founders[0];
}
