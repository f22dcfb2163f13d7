/**
 * Genesis `extraData` per consensus, byte-exact with GoQuorum (core/types/istanbul.go) and
 * istanbul-tools. Validators are encoded in the order given: GoQuorum sorts the set itself, and
 * the public vectors depend on the order.
 */
import { concat, encodeRlp, getAddress, getBytes, hexlify } from "ethers";
import { QstackError } from "../errors";

const VANITY = new Uint8Array(32);
const EMPTY_SEAL = new Uint8Array(65);

function addressBytes(validators: readonly string[], key: string): Uint8Array[] {
    return validators.map((v, i) => {
        try {
            return getBytes(getAddress(v));
        } catch {
            throw new QstackError("INVALID_ARGUMENT", [
                { key: `${key}[${i}]`, reason: "not an Ethereum address", value: v, allowed: "0x followed by 40 hex characters" },
            ]);
        }
    });
}

/** IBFT (legacy istanbul): `vanity32 ++ RLP([validators, seal(65 zero bytes), committedSeals([])])`. */
export function encodeIbftExtraData(validators: readonly string[]): string {
    const list = addressBytes(validators, "validators");
    return hexlify(concat([VANITY, encodeRlp([list, EMPTY_SEAL, []])]));
}

/**
 * QBFT: `RLP([vanity32, validators, vote(nil → []), round(0 → 0x80), committedSeals([])])`.
 * Round 0 must be the empty byte string; `0x00` is a non-canonical uint that GoQuorum rejects.
 */
export function encodeQbftExtraData(validators: readonly string[]): string {
    const list = addressBytes(validators, "validators");
    return encodeRlp([VANITY, list, [], "0x", []]);
}

/** Clique: `vanity32 ++ signer addresses ++ 65 zero bytes`, raw concatenation, order as given. */
export function encodeCliqueExtraData(signers: readonly string[]): string {
    return hexlify(concat([VANITY, ...addressBytes(signers, "signers"), EMPTY_SEAL]));
}

/** Raft: 32 zero bytes (no validator set in the header). */
export function encodeRaftExtraData(): string {
    return hexlify(VANITY);
}
