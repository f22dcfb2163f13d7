/**
 * Records what GoQuorum's console really answers for every member qstack's in-pod scripts use
 * (the reconciler, `qctl status`), so the tests' fake console is built from geth's answers
 * instead of from what we assume it answers. `npm run lab:record-console` writes the fixture;
 * the e2e suite records again on the live chain and fails when geth's shape drifts from it.
 */
import type { HostGethNetwork, HostNode } from "./host-network";

/** One console member: its JavaScript type and, for values and zero-argument calls, what it gave. */
export interface RecordedMember {
    readonly type: string;
    /** A property's value, or a function's result when called as recorded in `call`. */
    readonly value?: unknown;
    /** How the function was called for `value`, e.g. `istanbul.getValidators("latest")`. */
    readonly call?: string;
}

export interface ConsoleRecording {
    readonly recordedFrom: string;
    /** The node asked, and the enode URLs its static-nodes.json listed. */
    readonly node: string;
    readonly staticNodes: readonly string[];
    readonly members: Readonly<Record<string, RecordedMember>>;
}

/** Members read as values (or whose type alone matters), and calls whose results are kept. */
const VALUES = [
    "admin.nodeInfo", "admin.peers", "admin.addPeer", "admin.removePeer", "eth.blockNumber", "eth.coinbase", "net.peerCount",
    "istanbul.nodeAddress", "istanbul.candidates", "istanbul.getValidators", "istanbul.propose", "istanbul.discard", "web3.sha3",
];
const CALLS: Record<string, string> = {
    "istanbul.getValidators": `istanbul.getValidators("latest")`,
    "web3.sha3": `web3.sha3("0x" + admin.nodeInfo.enode.slice(8, 136), { encoding: "hex" })`,
};

/** Records `node`; with `candidate`, also what a pending vote for that address looks like. */
export async function recordConsole(net: HostGethNetwork, node: HostNode, staticNodes: readonly string[], candidate?: string): Promise<ConsoleRecording> {
    const members: Record<string, RecordedMember> = {};
    if (candidate) {
        // What a pending vote looks like: propose, read, and withdraw it again.
        const call = `istanbul.propose("${candidate}", true)`;
        members["istanbul.propose#call"] = { type: "call", call, value: await net.value(node, `${call} || null`) };
        members["istanbul.candidates#pending"] = { type: "object", value: await net.value(node, "istanbul.candidates") };
        await net.attach(node, `istanbul.discard("${candidate}")`);
    }
    for (const path of VALUES) {
        const type = await net.value<string>(node, `typeof ${path}`);
        const call = CALLS[path];
        if (call) members[path] = { type, call, value: await net.value(node, call) };
        else members[path] = type === "function" ? { type } : { type, value: await net.value(node, path) };
    }
    const version = await net.value<string>(node, "admin.nodeInfo.name");
    return { recordedFrom: version, node: node.name, staticNodes, members };
}

/** The shape of a recording: member types and the key sets and lengths the scripts rely on. */
export function consoleShape(r: ConsoleRecording): Record<string, unknown> {
    const peers = (r.members["admin.peers"].value ?? []) as { id: string; enode: string }[];
    const info = r.members["admin.nodeInfo"].value as { id: string; enode: string };
    return {
        types: Object.fromEntries(Object.entries(r.members).map(([k, m]) => [k, m.type])),
        peerKeys: peers.length ? Object.keys(peers[0]).sort() : [],
        peerIdHexLength: peers.length ? peers[0].id.length : undefined,
        peerEnodeKeyHexLength: peers.length ? /^enode:\/\/([0-9a-f]+)@/.exec(peers[0].enode)?.[1].length : undefined,
        nodeInfoIdHexLength: info.id.length,
        nodeInfoEnodeKeyHexLength: /^enode:\/\/([0-9a-f]+)@/.exec(info.enode)?.[1].length,
    };
}
