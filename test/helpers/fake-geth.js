#!/usr/bin/env node
/*
 * A stand-in for `geth attach --exec SCRIPT TARGET` in tests of generated shell scripts: runs
 * SCRIPT in a JS VM against a small fake chain kept in the JSON file $FAKE_CHAIN. It exists to
 * exercise the scripts' logic; the chain's contents are the test's. The `istanbul` namespace and
 * the error format are GoQuorum 24.4.1's as recorded (./recorded-console.js), so a script that
 * calls a property as a method fails here as it does on geth.
 *
 * Chain file: { sender, password, keys: {node: tesseraKey}, block, txs: [...], faults: {...} }
 */
const fs = require("node:fs");
const vm = require("node:vm");
const { recordedConsole, consoleError } = require("./recorded-console");

const file = process.env.FAKE_CHAIN;
const chain = JSON.parse(fs.readFileSync(file, "utf8"));
const args = process.argv.slice(2);
if (args[0] !== "attach" || args[1] !== "--exec") { console.error("fake geth: unsupported " + args.join(" ")); process.exit(2); }
const script = args[2];
const target = args[3];
const node = target.startsWith("http://") ? new URL(target).hostname : chain.sender;
if ((chain.faults.unreachable || []).includes(node)) { console.error("Fatal: Failed to start the JavaScript console: dial failed"); process.exit(1); }

const save = () => fs.writeFileSync(file, JSON.stringify(chain));
const parties = (tx) => (tx.privateFor ? [chain.sender, ...Object.keys(chain.keys).filter((n) => tx.privateFor.includes(chain.keys[n]))] : null);
const eth = {
    accounts: ["0x00000000000000000000000000000000000000aa"],
    get blockNumber() { return (chain.faults.behind || {})[node] ? chain.block - 1 : chain.block; },
    getTransactionReceipt(hash) {
        const tx = chain.txs.find((t) => t.hash === hash);
        if (!tx || (chain.faults.pendingPolls || 0) > tx.polls++) { save(); return null; }
        save();
        return { status: chain.faults.revert ? "0x0" : "0x1", contractAddress: tx.address, blockNumber: tx.block };
    },
    call({ to }) {
        const tx = chain.txs.find((t) => t.address === to);
        if (!tx) return "0x";
        const p = parties(tx);
        const sees = !p || p.includes(node) || (chain.faults.leak && tx.privateFor);
        return sees ? "0x" + tx.value.padStart(64, "0") : "0x";
    },
};
const personal = {
    sendTransaction(tx, password) {
        if (password !== chain.password) throw new Error("could not decrypt key with given password");
        chain.block += 1;
        const n = chain.txs.length;
        chain.txs.push({
            hash: "0x" + String(n + 1).padStart(64, "0"),
            address: "0x" + String(n + 1).padStart(40, "c"),
            block: chain.block,
            data: tx.data,
            value: tx.data.slice(4, 12),
            privateFor: tx.privateFor,
            gasPrice: tx.gasPrice,
            polls: 0,
        });
        save();
        return chain.txs[n].hash;
    },
};
// `qctl status` asks one pod ($FAKE_POD) about itself.
const me = (chain.nodes || {})[process.env.FAKE_POD] || (chain.nodes || {})["*"] || {};
if (me.block !== undefined) Object.defineProperty(eth, "blockNumber", { get: () => me.block });
eth.coinbase = "0x00000000000000000000000000000000000000aa";
const net = { peerCount: me.peers };
const validators = me.validator ? ["0x00000000000000000000000000000000000000BB"] : ["0x00000000000000000000000000000000000000cc"];
const { istanbul } = recordedConsole({ "istanbul.nodeAddress": "0x00000000000000000000000000000000000000bb", "istanbul.getValidators": validators }).context;
try {
    const result = vm.runInNewContext(script, { eth, personal, net, istanbul, JSON, String, console: { log: (...a) => process.stdout.write(a.join(" ") + "\n") }, decodeURIComponent, Number });
    // Like geth's console: the value of the last expression, strings quoted.
    process.stdout.write((typeof result === "string" ? JSON.stringify(result) : String(result)) + "\n");
} catch (e) {
    process.stdout.write(consoleError(e));
}
