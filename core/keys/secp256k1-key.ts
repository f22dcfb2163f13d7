/**
 * secp256k1 private keys: the GoQuorum nodekey and the account key.
 *
 * Both are 32-byte scalars in [1, n-1]. A random 32-byte seed is outside that range with
 * probability ~2^-128; such a seed is re-hashed with keccak256 until it is valid, so every seed
 * maps to exactly one key and the mapping never depends on anything but the seed.
 */
import { SigningKey, computeAddress, getAddress, keccak256 } from "ethers";
import { QstackError, REDACTED } from "../errors";

/** Order of the secp256k1 group. */
const CURVE_ORDER = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

const HEX64 = /^[0-9a-f]{64}$/;

function scalarOf(hex64: string): bigint {
    return BigInt(`0x${hex64}`);
}

/** True when the 64-hex string is a valid secp256k1 private key. */
export function isValidPrivateKeyHex(hex64: string): boolean {
    if (!HEX64.test(hex64)) return false;
    const k = scalarOf(hex64);
    return k > 0n && k < CURVE_ORDER;
}

/**
 * Maps 32 random bytes (64 hex) to a valid private key: the seed itself when it is in range,
 * else keccak256 of it, repeated. Returns 64 lowercase hex chars without `0x`.
 */
export function privateKeyFromSeed(seedHex: string): string {
    let candidate = seedHex.toLowerCase();
    if (!HEX64.test(candidate)) {
        throw new QstackError("INVALID_KEY", [
            { key: "seed", reason: "seed must be 32 bytes of hex", value: REDACTED, allowed: "64 hex characters" },
        ]);
    }
    while (!isValidPrivateKeyHex(candidate)) {
        candidate = keccak256(`0x${candidate}`).slice(2);
    }
    return candidate;
}

/**
 * Normalizes an imported private key (e.g. the contents of a Qubernetes `nodekey` file):
 * trims trailing newlines, accepts an optional `0x`, lowercases, and checks range.
 * @throws QstackError INVALID_KEY naming `key` (never echoing the value).
 */
export function getPrivateKeyHex(input: string, key: string): string {
    const hex = input.trim().replace(/^0x/i, "").toLowerCase();
    if (!HEX64.test(hex)) {
        throw new QstackError("INVALID_KEY", [
            {
                key,
                reason: `private key must be 64 hex characters (found ${hex.length} characters)`,
                value: REDACTED,
                allowed: "64 hex characters, optional 0x prefix",
            },
        ]);
    }
    if (!isValidPrivateKeyHex(hex)) {
        throw new QstackError("INVALID_KEY", [
            { key, reason: "private key is outside the secp256k1 range", value: REDACTED, allowed: "1 <= key < curve order" },
        ]);
    }
    return hex;
}

/** Uncompressed public key without the 0x04 prefix: the 128-hex enode ID (`bootnode -writeaddress`). */
export function computeEnodeId(privateKeyHex: string): string {
    return new SigningKey(`0x${privateKeyHex}`).publicKey.slice(4);
}

/** EIP-55 address of the key (`keccak256(pub64)[12:]`); for a nodekey this is the BFT validator address. */
export function computeKeyAddress(privateKeyHex: string): string {
    return getAddress(computeAddress(`0x${privateKeyHex}`));
}

/** Enode ID and address together, deriving the public key once (the expensive step). */
export function computeKeyIdentity(privateKeyHex: string): { enodeId: string; address: string } {
    const publicKey = new SigningKey(`0x${privateKeyHex}`).publicKey;
    return { enodeId: publicKey.slice(4), address: getAddress(computeAddress(publicKey)) };
}
