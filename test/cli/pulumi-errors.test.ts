import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pulumiErrors } from "../../cli/pulumi-errors";

const recorded = (name: string) => readFileSync(join(__dirname, "..", "fixtures", "pulumi-output", name), "utf8");

describe("cli/pulumi-errors: what a failed Pulumi run says went wrong (recorded output)", () => {
    it("gives a program's exception with its problems, without the stack trace", () => {
        const errors = [...new Set(pulumiErrors(recorded("preview-stale-build.txt")))];
        assert.equal(errors.length, 3);
        assert.match(errors[0], /^error: Running program '.*stack-program\.js' failed with an unhandled exception:$/);
        assert.equal(errors[1], "QstackError: the compiled stack program is out of date (1 source):");
        assert.match(errors[2], /^- index\.ts: changed after the compiled program in dist\/ was built; allowed: run `npm run build:package`/);
    });

    it("gives each resource the API server refused, and not the progress lines or the resource summary", () => {
        const errors = [...new Set(pulumiErrors(recorded("up-service-rejected.txt")))];
        assert.deepEqual(
            errors.map((e) => /Service "([^"]+)" is invalid: spec\.ports\[0\]\.nodePort: Invalid value: (\d+)/.exec(e)?.slice(1, 3) ?? e),
            [["f-validator1-external", "32767"], "error: update failed", ["f-member1-external", "32765"]],
        );
    });

    it("finds none in output without diagnostics", () => {
        assert.deepEqual(pulumiErrors("Resources:\n    4 unchanged\n"), []);
    });
});
