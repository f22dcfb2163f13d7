/**
 * Enode IDs and enode URLs as GoQuorum writes and parses them (p2p/enode/urlv4.go).
 *
 * `enode://<128 hex>@<host>:<tcp port>?discport=0[&raftport=<port>]`: discovery is always off
 * in qstack networks (static nodes only), so `discport=0` is always present, which is also the
 * canonical order GoQuorum prints.
 */
import { SigningKey, computeAddress, getAddress } from "ethers";
import { QstackError } from "../errors";
import { ADDRESS_ALLOWED, addressProblem, formatUrlHost, parseUrlHost } from "../net/address";

const ENODE_ID = /^[0-9a-f]{128}$/;

/** A parsed enode URL. */
export interface EnodeUrl {
    readonly enodeId: string;
    /** The address, IPv6 without brackets. */
    readonly host: string;
    readonly port: number;
    readonly raftPort?: number;
}

/** True for a TCP port number. */
export function isPort(port: unknown): port is number {
    return typeof port === "number" && Number.isInteger(port) && port >= 1 && port <= 65535;
}

/** True when `id` is 128 lowercase hex and a point on secp256k1 (GoQuorum's `parsePubkey`). */
export function isEnodeId(id: string): boolean {
    if (!ENODE_ID.test(id)) return false;
    try {
        SigningKey.computePublicKey(`0x04${id}`);
        return true;
    } catch {
        return false;
    }
}

/** Validator address belonging to an enode ID (the node's nodekey address). */
export function enodeIdToAddress(enodeId: string): string {
    return getAddress(computeAddress(`0x04${enodeId}`));
}

/** Formats an enode URL in GoQuorum's canonical form. */
export function formatEnodeUrl(e: EnodeUrl): string {
    const raft = e.raftPort !== undefined ? `&raftport=${e.raftPort}` : "";
    return `enode://${e.enodeId}@${formatUrlHost(e.host)}:${e.port}?discport=0${raft}`;
}

/**
 * Parses and validates an enode URL.
 * @throws QstackError INVALID_ARGUMENT naming `key`.
 */
export function parseEnodeUrl(url: string, key: string): EnodeUrl {
    const fail = (reason: string): never => {
        throw new QstackError("INVALID_ARGUMENT", [
            { key, reason, value: url, allowed: "enode://<128 hex node id>@<host>:<port>?discport=0[&raftport=<port>]" },
        ]);
    };
    const m = /^enode:\/\/([0-9a-fA-F]+)@(\[[^\]]*\]|[^:/?[\]]+):(\d+)(?:\?(.*))?$/.exec(url);
    if (!m) return fail("not an enode URL");
    const [, rawId, rawHost, portText, query] = m;
    const enodeId = rawId.toLowerCase();
    if (!isEnodeId(enodeId)) return fail("node id is not a 128-hex secp256k1 public key");
    const host = parseUrlHost(rawHost);
    const hostProblem = addressProblem(host);
    if (hostProblem) return fail(`host ${host} ${hostProblem}; it must be ${ADDRESS_ALLOWED}`);
    const port = Number(portText);
    if (!isPort(port)) return fail("port is outside 1-65535");
    let raftPort: number | undefined;
    for (const pair of (query ?? "").split("&").filter(Boolean)) {
        const [name, value] = pair.split("=");
        if (name === "discport") continue;
        if (name === "raftport") {
            raftPort = Number(value);
            if (!isPort(raftPort)) return fail("raftport is outside 1-65535");
        } else {
            return fail(`unknown query parameter '${name}'`);
        }
    }
    return raftPort === undefined ? { enodeId, host, port } : { enodeId, host, port, raftPort };
}
