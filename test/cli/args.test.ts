import assert from "node:assert/strict";
import { parseArgs } from "../../cli/args";

describe("cli/args", () => {
    it("reads -s STACK and -o FILE as --stack and --output in commands that have them", () => {
        const a = parseArgs(["-s", "clusterA", "-o", "out.json"], { values: ["stack", "output"] });
        assert.equal(a.flags.get("stack"), "clusterA");
        assert.equal(a.flags.get("output"), "out.json");
    });

    it("leaves -s and -o positional in a command without those flags", () => {
        const a = parseArgs(["-s", "x", "-o"], { values: ["cwd"] });
        assert.deepEqual(a.positional, ["-s", "x", "-o"]);
    });

    it("refuses -s without a value like --stack without one", () => {
        assert.throws(() => parseArgs(["-s"], { values: ["stack"] }), /--stack: missing value/);
    });
});
