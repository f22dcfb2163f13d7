/**
 * `qctl test -s STACK`: one run of the stack's acceptance test (components/acceptance-test.ts).
 * Creates a Job from the suspended CronJob template, waits for its Complete or Failed
 * condition, prints the run's log, and exits 0 only on pass.
 */
import { names } from "../../core/k8s/labels";
import { parseArgs, usageError } from "../args";
import type { Command } from "../command";
import { kubectl, kubectlOrFail, stackTarget } from "../kubectl";

interface JobCondition {
    type: string;
    status: string;
    reason?: string;
    message?: string;
}

/** The run's name: the template's name and a UTC timestamp, sortable and unique per second. */
export function runName(now: Date): string {
    return `${names.acceptance}-${now.toISOString().replace(/[-:T]/g, "").slice(0, 14)}`;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const acceptanceTest: Command = {
    name: "test",
    summary: "run the acceptance test Job (public + private contract) and report pass/fail",
    usage: "qctl test -s STACK [--cwd DIR] [--json] [--poll-seconds N]",
    help: [
        "Needs qstack:acceptanceTest.enabled: true (deployed with pulumi up). Each run is a Job created",
        "from the CronJob template qstack-acceptance: it sends a public and a private contract through",
        "the org's nodes and checks them on every node. Runs never show in pulumi preview.",
        "Exit status: 0 on pass, 1 on fail or timeout (acceptanceTest.timeoutSeconds).",
        "--json prints {job, result, reason, log}.",
    ],
    async run(argv, io) {
        const args = parseArgs(argv, { values: ["stack", "cwd", "poll-seconds"], booleans: ["json"] });
        const { config, kubectlFlags } = stackTarget(args);
        if (!config.acceptanceTest.enabled) {
            throw usageError("qstack:acceptanceTest.enabled", "the stack has no acceptance test deployed", false, "set it to true and run pulumi up first");
        }
        const pollMs = Number(args.flags.get("poll-seconds") ?? 2) * 1000;
        if (!Number.isFinite(pollMs) || pollMs < 0) throw usageError("--poll-seconds", "not a number of seconds", args.flags.get("poll-seconds"), "a number ≥ 0");
        const job = runName(new Date());
        await kubectlOrFail([...kubectlFlags, "create", "job", `--from=cronjob/${names.acceptance}`, job]);
        if (!args.flags.has("json")) io.err(`started job ${job}`);

        const deadline = Date.now() + (config.acceptanceTest.timeoutSeconds + 60) * 1000;
        let outcome: { result: "pass" | "fail" | "timeout"; reason: string } | undefined;
        while (!outcome) {
            const status = JSON.parse(await kubectlOrFail([...kubectlFlags, "get", "job", job, "-o", "json"])) as { status?: { conditions?: JobCondition[] } };
            const done = (status.status?.conditions ?? []).find((c) => (c.type === "Complete" || c.type === "Failed") && c.status === "True");
            if (done) outcome = { result: done.type === "Complete" ? "pass" : "fail", reason: done.reason ?? done.type };
            else if (Date.now() > deadline) outcome = { result: "timeout", reason: `no result within ${config.acceptanceTest.timeoutSeconds + 60}s` };
            else await sleep(pollMs);
        }
        const logs = await kubectl([...kubectlFlags, "logs", `job/${job}`, "--tail=200"]);
        const log = logs.code === 0 ? logs.stdout : `(log unavailable: ${logs.stderr.trim().split("\n").pop()})`;
        if (args.flags.has("json")) io.out(JSON.stringify({ job, ...outcome, log }, null, 2));
        else io.out(`${log.trimEnd()}\n${outcome.result.toUpperCase()}: job ${job} (${outcome.reason})`);
        return outcome.result === "pass" ? 0 : 1;
    },
};
