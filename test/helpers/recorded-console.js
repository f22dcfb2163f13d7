/*
 * A geth console built from what GoQuorum 24.4.1's console answered in a real run
 * (test/fixtures/geth-console/, written by `npm run lab:record-console`): every member has the
 * recorded kind (property or method) and, unless a test overrides it, the recorded value. Tests
 * may change the state (which peers are connected, who validates), never the shape.
 *
 * Overrides are keyed by member path, e.g. { "admin.peers": [...], "istanbul.getValidators": [...] }.
 * Calls that change geth's state (addPeer, removePeer, propose, discard) are logged in `calls`.
 */
const RECORDING = require("../fixtures/geth-console/goquorum-24.4.1-qbft.json");

const READ_ONLY = new Set(["web3.sha3", "istanbul.getValidators"]);

function recordedConsole(state = {}) {
    const calls = [];
    const impl = {
        // The real algorithm; the unit tests check it against the recorded answer.
        "web3.sha3": (data, options) => {
            // Loaded on use: ethers takes a noticeable time to load, and fake-geth.js runs per call.
            const { keccak256, toUtf8Bytes } = require("ethers");
            return keccak256(options && options.encoding === "hex" ? data : toUtf8Bytes(data));
        },
        "istanbul.getValidators": () => (state["istanbul.getValidators"] !== undefined ? state["istanbul.getValidators"] : RECORDING.members["istanbul.getValidators"].value),
    };
    const context = {};
    for (const [path, rec] of Object.entries(RECORDING.members)) {
        if (path.includes("#")) continue;
        const [obj, member] = path.split(".");
        const ns = (context[obj] = context[obj] || {});
        if (rec.type === "function") {
            ns[member] = (...args) => {
                if (!READ_ONLY.has(path)) calls.push(`${path}(${args.map((a) => JSON.stringify(a)).join(", ")})`);
                return impl[path] ? impl[path](...args) : rec.value !== undefined ? rec.value : null;
            };
        } else {
            Object.defineProperty(ns, member, { enumerable: true, get: () => (state[path] !== undefined ? state[path] : rec.value) });
        }
    }
    return { context, calls };
}

/** How geth's console prints an uncaught error (recorded: "TypeError: Value is not an object: 0x…" then "\tat <eval>…"). */
function consoleError(e) {
    return `${e && e.name ? e.name : "Error"}: ${e && e.message ? e.message : String(e)}\n\tat <eval>:1:1(0)\n`;
}

module.exports = { RECORDING, recordedConsole, consoleError };
