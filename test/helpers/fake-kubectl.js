#!/usr/bin/env node
/*
 * A stand-in for kubectl in qctl's CLI tests, driven by $FAKE_KUBECTL/scenario.json. Every call
 * is appended to $FAKE_KUBECTL/calls.log. `exec POD ... -- sh -c SCRIPT` really runs SCRIPT with
 * sh, with $FAKE_POD=POD and the fake geth and wget first on PATH, so the scripts qctl generates
 * are exercised, not just their command lines.
 */
const fs = require("node:fs");
const path = require("node:path");
const { spawnSync } = require("node:child_process");

const dir = process.env.FAKE_KUBECTL;
const scenarioFile = path.join(dir, "scenario.json");
const scenario = JSON.parse(fs.readFileSync(scenarioFile, "utf8"));
let argv = process.argv.slice(2);
fs.appendFileSync(path.join(dir, "calls.log"), JSON.stringify(argv) + "\n");
// Drop the target flags qctl puts first.
while (["--kubeconfig", "--context", "-n"].includes(argv[0])) argv = argv.slice(2);
const fail = (msg, code = 1) => { process.stderr.write(msg + "\n"); process.exit(code); };
const save = () => fs.writeFileSync(scenarioFile, JSON.stringify(scenario));

switch (argv[0]) {
    case "get":
        if (argv[1] === "pods") { process.stdout.write(JSON.stringify({ items: scenario.pods || [] })); break; }
        if (argv[1] === "job") {
            const job = (scenario.jobs || {})[argv[2]];
            if (!job) fail(`Error from server (NotFound): jobs.batch "${argv[2]}" not found`);
            job.polls += 1;
            save();
            const conditions = job.polls > (scenario.jobPolls || 0) && scenario.jobResult ? [{ type: scenario.jobResult, status: "True", reason: scenario.jobReason }] : [];
            process.stdout.write(JSON.stringify({ status: { conditions } }));
            break;
        }
        fail("fake kubectl: unsupported get " + argv[1]);
        break;
    case "create": {
        if (scenario.createError) fail(scenario.createError);
        const name = argv[argv.length - 1];
        scenario.jobs = { ...(scenario.jobs || {}), [name]: { from: argv[2], polls: 0 } };
        save();
        process.stdout.write(`job.batch/${name} created\n`);
        break;
    }
    case "logs":
        if (scenario.log === undefined) fail("error: no logs available");
        process.stdout.write(scenario.log);
        break;
    case "exec": {
        const pod = argv[1];
        if ((scenario.execFail || []).includes(pod)) fail(`error: unable to upgrade connection: container not found ("quorum") at "https://node-1:10250/exec/ns/${pod}/quorum?command=sh"`);
        // Each pod has its own /tmp (an emptyDir shared by its containers): $FAKE_KUBECTL/pods/POD/tmp.
        const podTmp = path.join(dir, "pods", pod, "tmp");
        fs.mkdirSync(podTmp, { recursive: true });
        const script = argv[argv.indexOf("--") + 3].split("/tmp/").join(podTmp + "/");
        const r = spawnSync("sh", ["-c", script], {
            env: { ...process.env, FAKE_POD: pod, FAKE_CHAIN: path.join(dir, "chain.json"), PATH: `${path.join(dir, "bin")}:${process.env.PATH}` },
            encoding: "utf8",
        });
        process.stdout.write(r.stdout);
        process.stderr.write(r.stderr);
        process.exit(r.status ?? 1);
    }
    default:
        fail("fake kubectl: unsupported " + argv.join(" "));
}
