import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { qctl } from "../helpers/qctl";

describe("cli: qctl network up and status arguments", () => {
    // Refused before any stack is opened: the directory is not even a Pulumi project.
    const dir = mkdtempSync(join(tmpdir(), "qctl-network-"));

    it("refuses --sequential together with --parallel, naming both", async () => {
        const r = await qctl("network", "up", "--stacks", "a,b", "--sequential", "--parallel", "2", "--cwd", dir);
        assert.equal(r.code, 2, "a usage error");
        assert.match(r.err, /--sequential: cannot be combined with --parallel; allowed: one of --sequential, --parallel N, or neither/);
    });

    for (const bad of ["0", "-1", "two", "1.5"]) {
        it(`refuses --parallel ${bad} with what is allowed`, async () => {
            const r = await qctl("network", "up", "--stacks", "a,b", "--parallel", bad, "--cwd", dir);
            assert.equal(r.code, 2, "a usage error");
            assert.match(r.err, /--parallel: not a positive whole number \(got "[^"]+"\); allowed: 1, 2, 3, \.\.\. \(stacks updated at once\)/);
        });
    }

    it("documents both modes in its help", async () => {
        const r = await qctl("network", "up", "--help");
        assert.equal(r.code, 0);
        assert.match(r.out + r.err, /--sequential +one stack at a time/);
        assert.match(r.out + r.err, /--parallel N +at most N stacks at once/);
    });

    for (const argv of [["--stacks", "a,b", "-s", "a"], []]) {
        it(`network status refuses ${argv.length ? "both --stacks and -s" : "neither --stacks nor -s"}`, async () => {
            const r = await qctl("network", "status", ...argv, "--cwd", dir);
            assert.equal(r.code, 2, "a usage error");
            assert.match(r.err, /--stacks: give either --stacks or -s, not both or neither; allowed: --stacks A,B,\.\.\. or -s STACK/);
        });
    }
});
