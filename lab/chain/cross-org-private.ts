/**
 * A private contract from one organization's node to another organization's Tessera key, sent
 * on the real lab with the same script the acceptance Job runs (core/node/acceptance.ts), then
 * read on every node of both organizations: the parties return its value, everyone else nothing.
 *
 * The lab's Tessera is 0.10.6-SNAPSHOT, not the 24.4.2 qstack deploys (see README).
 */
import { buildAcceptanceScript, ACCEPTANCE_MARKER } from "../../core/node/acceptance";
import { waitFor } from "./deadline";
import { gethValue, shellIn, type RealNode } from "./real-node-console";

export interface CrossOrgPrivateResult {
    readonly sender: string;
    readonly recipient: string;
    readonly contract: string;
    readonly block: number;
    /** What the contract returns: the run's value on the parties. */
    readonly expected: string;
    /** eth_call result per node of both organizations ("0x" where the node holds no private state). */
    readonly values: Readonly<Record<string, string>>;
}

/**
 * Sends from `sender` a private contract for `recipient`'s Tessera key only, and reads it on
 * `nodes` (every node of both organizations) once each has the block it was mined in.
 */
export async function sendCrossOrgPrivate(sender: RealNode, recipient: RealNode, nodes: readonly RealNode[], timeoutSeconds = 180): Promise<CrossOrgPrivateResult> {
    if (!recipient.tesseraPublicKey) throw new Error(`${recipient.name} runs no Tessera, so it cannot receive a private transaction`);
    // The script checks the sender's own organization over ClusterIP RPC; the recipient's
    // organization is read below, from its own cluster, as its RPC is not served to partners.
    const ownOrg = nodes.filter((n) => n.cluster === sender.cluster).map((n) => ({ name: n.name, tesseraPublicKey: n.tesseraPublicKey }));
    const script = buildAcceptanceScript({ sender: sender.name, nodes: ownOrg, recipient: { name: recipient.name, tesseraPublicKey: recipient.tesseraPublicKey }, timeoutSeconds, pollSeconds: 2 });
    let out: string;
    try {
        out = shellIn(sender, script);
    } catch (e) {
        const stdout = (e as { stdout?: string }).stdout ?? "";
        throw new Error(`the private transaction from ${sender.name} to ${recipient.name} failed: ${stdout.split("\n").filter((l) => l.startsWith(ACCEPTANCE_MARKER)).slice(-3).join(" | ") || (e as Error).message}`);
    }
    const value = /run value 0x([0-9a-f]{8})/.exec(out)?.[1];
    const mined = /private contract (0x[0-9a-f]{40}) mined in block (\d+)/.exec(out);
    if (!value || !mined) throw new Error(`${sender.name}: the acceptance script printed no run value or private contract: ${out.slice(-400)}`);
    const block = Number(mined[2]);
    const values: Record<string, string> = {};
    for (const n of nodes) {
        values[n.name] = await waitFor(`${n.name} to have block ${block}`, timeoutSeconds * 1000, async () =>
            gethValue<string | null>(n, `eth.blockNumber >= ${block} ? eth.call({to: "${mined[1]}", data: "0x"}) : null`) ?? undefined,
        2000);
    }
    return { sender: sender.name, recipient: recipient.name, contract: mined[1], block, expected: `0x${"0".repeat(56)}${value}`, values };
}
