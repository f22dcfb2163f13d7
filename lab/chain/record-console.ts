/**
 * `npm run lab:record-console`: starts a small real QBFT network from the lab toolchain's geth
 * (three founder validators and a joiner validator, wired as after the handshake) and writes
 * what the console answered on a founder validator to test/fixtures/geth-console/, the only
 * source the unit tests' fake console may be built from.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO, toolchainPath } from "../lab-env";
import { recordConsole } from "./console-recording";
import { waitFor } from "./deadline";
import { HostGethNetwork } from "./host-network";

export const CONSOLE_FIXTURE = join(REPO, "test", "fixtures", "geth-console", "goquorum-24.4.1-qbft.json");

async function main(): Promise<void> {
    const gethBinDir = toolchainPath(["quorum"]).split(":")[0];
    const net = new HostGethNetwork({ dir: join(tmpdir(), `qstack-record-${process.pid}`), gethBinDir, basePort: 32400, blockPeriodSeconds: 1 });
    try {
        const founders = ["a-validator1", "a-validator2", "a-validator3"].map((n) => net.add(n, "validator"));
        const joiner = net.add("b-validator1", "validator");
        const genesis = net.genesisOf(founders);
        for (const n of net.nodes) await net.init(n, genesis, net.nodes);
        for (const n of net.nodes) await net.start(n);
        const a1 = founders[0];
        await waitFor("a-validator1 connected to all three other nodes", 60_000, async () => ((await net.value<number>(a1, "net.peerCount")) === 3 ? true : undefined));
        const recording = await recordConsole(net, a1, net.nodes.map((n) => n.enodeUrl), joiner.keys.nodeAddress);
        mkdirSync(join(CONSOLE_FIXTURE, ".."), { recursive: true });
        writeFileSync(CONSOLE_FIXTURE, `${JSON.stringify(recording, null, 2)}\n`);
        process.stderr.write(`[record-console] wrote ${CONSOLE_FIXTURE} from ${recording.recordedFrom}\n`);
    } finally {
        await net.stop();
    }
}

if (require.main === module) {
    main().catch((e) => {
        process.stderr.write(`[record-console] ${e instanceof Error ? e.message : String(e)}\n`);
        process.exit(1);
    });
}
