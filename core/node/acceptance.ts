/**
 * The acceptance test of an organization's nodes: a public and a private contract, sent through
 * the org's own nodes, each checked on every own node.
 *
 * It runs as a shell script inside the sending node's geth container (the acceptance Job execs
 * it there), because sending needs the node's account key, and the only place that key can sign
 * is the in-pod IPC socket: `personal` is never served on a port, and geth forbids unlocking an
 * account while HTTP is on. `personal.sendTransaction(tx, password)` signs without unlocking.
 * The other nodes are read over their ClusterIP JSON-RPC (`eth` only).
 *
 * What passes:
 * - public: the receipt has status 1, and every own node returns the run's value from the
 *   contract;
 * - private (privateFor one other own Tessera node, or only the sender when it has none): the
 *   sender and the recipient return the value; every other own node returns nothing once it
 *   has the block, because it holds no private state for the contract.
 *
 * Output is one `qstack-acceptance: …` line per step and a final `qstack-acceptance: RESULT
 * pass|fail`; the exit status (0 or 1) becomes the Job's Complete or Failed condition. The
 * script is busybox sh (the quorum image is Alpine) and the console snippets are ES5.
 */
import { PORTS, PATHS, KEY_FILES } from "./layout";
import { INIT_CODE_PREFIX, INIT_CODE_SUFFIX } from "./acceptance-contract";

export const ACCEPTANCE_MARKER = "qstack-acceptance:";

export interface AcceptanceNode {
    readonly name: string;
    /** Tessera public key (base64) when the node runs Tessera. */
    readonly tesseraPublicKey?: string;
}

export interface AcceptancePlan {
    /** The node that sends both transactions (runs Tessera). */
    readonly sender: string;
    /** Every own node, each checked. */
    readonly nodes: readonly AcceptanceNode[];
    /** The private transaction's recipient (may be the sender itself). */
    readonly recipient: AcceptanceNode;
    /** How long to wait for a receipt or for a node to catch up. */
    readonly timeoutSeconds: number;
    readonly pollSeconds: number;
}

/**
 * Chooses sender and recipient: the sender is `preferred` or the first Tessera node; the
 * recipient is the next Tessera node after it, or the sender itself in a one-Tessera org.
 * Returns an error reason when no node can send a private transaction.
 */
export function planAcceptance(
    nodes: readonly AcceptanceNode[],
    options: { preferred?: string; timeoutSeconds: number; pollSeconds?: number },
): AcceptancePlan | string {
    const withTessera = nodes.filter((n) => n.tesseraPublicKey !== undefined);
    const sender = options.preferred ? withTessera.find((n) => n.name === options.preferred) : withTessera[0];
    if (!sender) {
        return options.preferred
            ? `node ${options.preferred} does not run Tessera, so it cannot send a private transaction`
            : "no node runs Tessera, so no private transaction can be sent";
    }
    const recipient = withTessera.find((n) => n.name !== sender.name) ?? sender;
    return { sender: sender.name, nodes, recipient, timeoutSeconds: options.timeoutSeconds, pollSeconds: options.pollSeconds ?? 2 };
}

/** A shell word in single quotes. */
const q = (s: string) => `'${s.replace(/'/g, "'\\''")}'`;

/** The script the Job runs in the sender's geth container. */
export function buildAcceptanceScript(plan: AcceptancePlan): string {
    const ipc = `${PATHS.quorumDataDir}/geth.ipc`;
    const parties = new Set([plan.sender, plan.recipient.name]);
    const checks = plan.nodes.map((n) => `${n.name}:${parties.has(n.name) ? "party" : "outsider"}`).join(" ");
    return `set -u
TIMEOUT=${plan.timeoutSeconds}
POLL=${plan.pollSeconds}
IPC=${q(ipc)}
SENDER=${q(plan.sender)}
RECIPIENT_KEY=${q(plan.recipient.tesseraPublicKey ?? "")}
CHECKS=${q(checks)}
say() { echo "${ACCEPTANCE_MARKER} $*"; }
fail() { say "FAIL $*"; say "RESULT fail"; exit 1; }
# geth's console over IPC (sender) or JSON-RPC (any node); prints the line tagged $1.
console_value() { geth attach --exec "$3" "$2" 2>&1 | sed -n "s/^$1 //p" | head -n 1; }
rpc_of() { if [ "$1" = "$SENDER" ]; then echo "$IPC"; else echo "http://$1:${PORTS.http}"; fi; }
now() { date +%s; }

# The password as %XX escapes: no quote or backslash in it can break out of the JS string.
PASSWORD=$(tr -d '\\r\\n' < ${q(`${PATHS.keys}/${KEY_FILES.accountPassword}`)} | od -An -tx1 -v | tr -d ' \\n' | sed 's/../%&/g')
VALUE=$(printf '%08x' $(( $(now) % 4294967296 )))
CODE="0x${INIT_CODE_PREFIX}\${VALUE}${INIT_CODE_SUFFIX}"
EXPECTED="0x00000000000000000000000000000000000000000000000000000000\${VALUE}"

# $1 = extra transaction fields; prints the transaction hash, or geth's last words on error.
send() {
  out=$(geth attach --exec "console.log('TX ' + personal.sendTransaction({from: eth.accounts[0], data: '$CODE', gas: 300000, gasPrice: 0$1}, decodeURIComponent('$PASSWORD')))" "$IPC" 2>&1)
  tx=$(echo "$out" | sed -n 's/^TX //p' | head -n 1)
  if [ -n "$tx" ]; then echo "$tx"; else echo "$out" | tail -n 3 | tr '\n' ' '; fi
}

# $1 = tx hash; sets ADDRESS and BLOCK once the receipt is there, fails on status 0 or timeout.
await_receipt() {
  deadline=$(( $(now) + TIMEOUT ))
  while :; do
    r=$(console_value RECEIPT "$IPC" "var r = eth.getTransactionReceipt('$1'); console.log('RECEIPT ' + (r ? Number(r.status) + ' ' + r.contractAddress + ' ' + r.blockNumber : 'pending'))")
    case "$r" in
      "1 "*) ADDRESS=$(echo "$r" | cut -d' ' -f2); BLOCK=$(echo "$r" | cut -d' ' -f3); return 0 ;;
      "0 "*) fail "$2: transaction $1 was mined but reverted (status 0)" ;;
    esac
    [ "$(now)" -ge "$deadline" ] && fail "$2: no receipt for $1 within \${TIMEOUT}s (last: \${r:-no answer from geth})"
    sleep "$POLL"
  done
}

# $1 = public|private, $2 = extra transaction fields; sets ADDRESS and BLOCK once it is mined.
deploy() {
  tx=$(send "$2")
  case "$tx" in 0x*) ;; *) fail "$1: $SENDER did not accept the transaction: \${tx:-no answer from geth}" ;; esac
  await_receipt "$tx" "$1"
  say "$1 contract $ADDRESS mined in block $BLOCK"
}

# $1 = node, $2 = contract, $3 = block it was mined in; prints the node's eth_call result
# once the node has that block.
value_on() {
  deadline=$(( $(now) + TIMEOUT ))
  while :; do
    v=$(console_value VALUE "$(rpc_of "$1")" "console.log('VALUE ' + (eth.blockNumber >= $3 ? eth.call({to: '$2', data: '0x'}) : 'behind'))")
    if [ -n "$v" ] && [ "$v" != behind ]; then echo "$v"; return 0; fi
    [ "$(now)" -ge "$deadline" ] && { echo "\${v:-unreachable}"; return 0; }
    sleep "$POLL"
  done
}

say "run value 0x$VALUE, sender $SENDER"
say "block height on $SENDER: $(console_value HEIGHT "$IPC" "console.log('HEIGHT ' + eth.blockNumber)")"

deploy public ""
for check in $CHECKS; do
  node=\${check%%:*}
  v=$(value_on "$node" "$ADDRESS" "$BLOCK")
  [ "$v" = "$EXPECTED" ] || fail "public: $node returned $v from $ADDRESS, expected $EXPECTED"
  say "PASS public contract readable on $node"
done

deploy private ", privateFor: ['$RECIPIENT_KEY']"
for check in $CHECKS; do
  node=\${check%%:*}
  v=$(value_on "$node" "$ADDRESS" "$BLOCK")
  case "\${check##*:}" in
    party) [ "$v" = "$EXPECTED" ] || fail "private: party $node returned $v from $ADDRESS, expected $EXPECTED"
           say "PASS private contract readable on party $node" ;;
    *)     [ "$v" = "0x" ] || fail "private: non-party $node returned $v from $ADDRESS, expected 0x (no private state)"
           say "PASS private contract hidden from $node" ;;
  esac
done
say "RESULT pass"
`;
}
