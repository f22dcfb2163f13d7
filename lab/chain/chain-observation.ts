/**
 * What the running chain says, asked of every node pod of the real lab: height, peers, whether
 * the node validates, the last block it sealed; the validator set at genesis and now; the
 * first block a joiner's validator sealed. Every wait has a deadline (./deadline.ts).
 */
import { waitFor } from "./deadline";
import { gethValue, type RealNode } from "./real-node-console";

export interface NodeChainState {
    readonly cluster: string;
    readonly node: string;
    readonly height: number;
    readonly peers: number;
    readonly validator: boolean;
    /** The newest block this node proposed among the last `SEAL_LOOKBACK`, if any. */
    readonly lastSealed?: number;
}

/** How far back a node's last sealed block is looked for. */
export const SEAL_LOOKBACK = 200;

/** ES5 for geth's console: the node's own view of the chain in one call. */
const NODE_STATE_JS = `(function () {
  var me = istanbul.nodeAddress.toLowerCase(), head = eth.blockNumber, last = null, b;
  var validators = istanbul.getValidators("latest").map(function (a) { return a.toLowerCase(); });
  for (b = head; b > 0 && b > head - ${SEAL_LOOKBACK}; b--) {
    if (istanbul.getSignersFromBlock(b).Author.toLowerCase() === me) { last = b; break; }
  }
  return { height: head, peers: net.peerCount, validator: validators.indexOf(me) >= 0, lastSealed: last };
})()`;

export function observeNode(n: RealNode): NodeChainState {
    const s = gethValue<{ height: number; peers: number; validator: boolean; lastSealed: number | null }>(n, NODE_STATE_JS);
    return { cluster: n.cluster, node: n.name, height: s.height, peers: s.peers, validator: s.validator, ...(s.lastSealed !== null ? { lastSealed: s.lastSealed } : {}) };
}

/** The validator set (lower-case addresses) at `block` ("latest" or a number), as `n` sees it. */
export function validatorSet(n: RealNode, block: number | "latest"): string[] {
    // geth's istanbul API takes a block as "latest" or a 0x-hex string, not a number.
    const arg = block === "latest" ? "latest" : `0x${block.toString(16)}`;
    return gethValue<string[]>(n, `istanbul.getValidators("${arg}")`).map((a) => a.toLowerCase()).sort();
}

export interface SealedBlock {
    readonly block: number;
    readonly author: string;
    /** The block's own timestamp (seconds since the epoch). */
    readonly timestamp: number;
}

/** The first block (from genesis on) that one of `authors` proposed, as `n` sees it; undefined if none yet. */
export function firstSealedBy(n: RealNode, authors: readonly string[]): SealedBlock | undefined {
    const found = gethValue<SealedBlock | null>(n, `(function () {
  var want = ${JSON.stringify(authors.map((a) => a.toLowerCase()))}, head = eth.blockNumber, b, author;
  for (b = 1; b <= head; b++) {
    author = istanbul.getSignersFromBlock(b).Author.toLowerCase();
    if (want.indexOf(author) >= 0) return { block: b, author: author, timestamp: Number(eth.getBlock(b).timestamp) };
  }
  return null;
})()`);
    return found ?? undefined;
}

/** Waits until one of `authors` has sealed a block. */
export function awaitSealedBy(n: RealNode, authors: readonly string[], timeoutMs: number): Promise<SealedBlock> {
    return waitFor(`a block sealed by one of ${authors.join(", ")} (asking ${n.name})`, timeoutMs, async () => firstSealedBy(n, authors), 2000);
}

/**
 * The first block after which every one of `addresses` is in the validator set, as `n` sees it,
 * with its timestamp (a binary search over the blocks up to the head, which must already have them).
 */
export function firstBlockWithValidators(n: RealNode, addresses: readonly string[]): SealedBlock {
    const want = addresses.map((a) => a.toLowerCase());
    const has = (b: number) => {
        const set = validatorSet(n, b);
        return want.every((a) => set.includes(a));
    };
    let hi = gethValue<number>(n, "eth.blockNumber");
    if (!has(hi)) throw new Error(`${n.name}: ${want.join(", ")} not all in the validator set at the head (block ${hi})`);
    let lo = 0;
    while (lo < hi) {
        const mid = Math.floor((lo + hi) / 2);
        if (has(mid)) hi = mid;
        else lo = mid + 1;
    }
    const block = gethValue<{ author: string; timestamp: number }>(n, `(function () { return { author: istanbul.getSignersFromBlock(${hi}).Author.toLowerCase(), timestamp: Number(eth.getBlock(${hi}).timestamp) }; })()`);
    return { block: hi, author: block.author, timestamp: block.timestamp };
}
