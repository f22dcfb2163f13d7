import assert from "node:assert/strict";
import { formatChainReport, type ChainReport } from "../../../lab/chain/real-chain-report";

const EXPECTED = `0x${"0".repeat(56)}6b0ebf77`;
const report = (secondsFromEmptyClusters?: number): ChainReport => ({
    nodes: [
        { cluster: "a", node: "a-validator1", height: 306, peers: 5, validator: true, lastSealed: 305 },
        { cluster: "b", node: "b-member1", height: 307, peers: 5, validator: false },
    ],
    validatorsAtGenesis: ["0x01"],
    validatorsNow: ["0x01", "0x02"],
    joinerValidators: ["0x02"],
    firstJoinerSeal: { block: 32, author: "0x02", timestamp: 1796127731, ...(secondsFromEmptyClusters !== undefined ? { secondsFromEmptyClusters } : {}) },
    milestones: [{ name: "first block sealed by a joiner validator (block 32)", atSeconds: 412 }],
    scrapeTargets: {
        a: [
            { job: "qstack-geth", node: "a-validator1", health: "up", lastError: "", scrapeUrl: "http://10.244.0.5:9545/debug/metrics/prometheus" },
            { job: "qstack-tessera", node: "a-validator1", health: "up", lastError: "", scrapeUrl: "http://10.244.0.5:9000/metrics" },
        ],
        b: [
            { job: "qstack-geth", node: "b-member1", health: "up", lastError: "", scrapeUrl: "http://10.245.0.5:9545/debug/metrics/prometheus" },
            { job: "qstack-tessera", node: "b-member1", health: "down", lastError: "connection refused", scrapeUrl: "http://10.245.0.5:9000/metrics" },
        ],
    },
    privateTransaction: { sender: "a-validator1", recipient: "b-validator1", contract: "0xc0", block: 304, expected: EXPECTED, values: { "a-validator1": EXPECTED, "b-validator1": EXPECTED, "b-member1": "0x" } },
});

describe("lab/chain/real-chain-report: formatChainReport", () => {
    it("shows each node's height, peers and last sealed block, and the validator sets before and after", () => {
        const text = formatChainReport(report()).join("\n");
        assert.match(text, /a\/a-validator1: block 306, 5 peers, validator, last sealed 305/);
        assert.match(text, /b\/b-member1: block 307, 5 peers, not a validator/);
        assert.match(text, /validators at genesis \(1\): 0x01\nvalidators now \(2\): 0x01 0x02/);
    });

    it("gives the seconds to the joiner's first seal only when the run started the clusters empty", () => {
        assert.match(formatChainReport(report(412)).join("\n"), /first block sealed by a joiner validator: 32 \(by 0x02\), 412 s after this run started the clusters empty/);
        assert.match(formatChainReport(report()).join("\n"), /first block sealed by a joiner validator: 32 \(by 0x02\) \(clusters were already running\)/);
    });

    it("names the parties that read the private contract and the nodes that got nothing", () => {
        assert.match(formatChainReport(report()).join("\n"), /readable on a-validator1, b-validator1; empty on b-member1/);
    });

    it("gives each cluster's Prometheus targets per job, naming the down ones with Prometheus' error", () => {
        const text = formatChainReport(report()).join("\n");
        assert.match(text, /prometheus of cluster a: qstack-geth 1\/1 up, qstack-tessera 1\/1 up/);
        assert.match(text, /prometheus of cluster b: qstack-geth 1\/1 up, qstack-tessera 0\/1 up \(b-member1: connection refused\)/);
    });
});
