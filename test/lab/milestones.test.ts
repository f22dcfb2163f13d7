import assert from "node:assert/strict";
import { formatMilestones, MilestoneLog } from "../../lab/milestones";

describe("lab/milestones", () => {
    it("records moments in seconds since the run started, to a tenth, also for a moment of another clock (a block timestamp)", () => {
        const log = new MilestoneLog(1_000_000);
        log.mark("clusters up", 1_067_840);
        log.mark("first block sealed by a joiner validator", 1_333_000);
        assert.deepEqual(log.milestones, [
            { name: "clusters up", atSeconds: 67.8 },
            { name: "first block sealed by a joiner validator", atSeconds: 333 },
        ]);
    });

    it("lists them in time order with the time since the one before, so a slow phase stands out", () => {
        const lines = formatMilestones([
            { name: "first joiner seal", atSeconds: 333 },
            { name: "clusters up", atSeconds: 67.8 },
            { name: "handshake converged", atSeconds: 309 },
        ]);
        assert.equal(lines.length, 3);
        assert.match(lines[0], /^ +67\.8 s  clusters up +\+67\.8 s$/);
        assert.match(lines[1], /^ +309\.0 s  handshake converged +\+241\.2 s$/);
        assert.match(lines[2], /^ +333\.0 s  first joiner seal +\+24\.0 s$/);
    });
});
