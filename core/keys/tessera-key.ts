/**
 * Tessera NaCl box (curve25519) key pairs and their file formats.
 *
 * Tessera stores the raw 32 random bytes as the private key (not clamped) and the X25519 public
 * key derived from it; both are standard base64 (44 characters).
 */
import nacl from "tweetnacl";
import { QstackError, REDACTED } from "../errors";

export interface TesseraKeyPair {
    /** base64 of the 32-byte private key. Secret. */
    readonly privateKey: string;
    /** base64 of the 32-byte public key; what partners address private transactions to. */
    readonly publicKey: string;
}

const BASE64_32 = /^[A-Za-z0-9+/]{43}=$/;

/** True when `value` is standard base64 of exactly 32 bytes. */
export function isBase64Key(value: string): boolean {
    return BASE64_32.test(value);
}

function decode32(b64: string, key: string): Uint8Array {
    if (!isBase64Key(b64)) {
        throw new QstackError("INVALID_KEY", [
            { key, reason: "Tessera key must be base64 of 32 bytes", value: REDACTED, allowed: "44 base64 characters ending in '='" },
        ]);
    }
    return new Uint8Array(Buffer.from(b64, "base64"));
}

/** X25519 public key for a Tessera private key (what `tessera -keygen` writes to `.pub`). */
export function computeTesseraPublicKey(privateKeyBase64: string, key = "tesseraPrivateKey"): string {
    const secret = decode32(privateKeyBase64, key);
    return Buffer.from(nacl.box.keyPair.fromSecretKey(secret).publicKey).toString("base64");
}

/** Key pair whose private key is the given 32 random bytes (hex), as Tessera itself does. */
export function tesseraKeyPairFromSeed(seedHex: string): TesseraKeyPair {
    const privateKey = Buffer.from(seedHex, "hex").toString("base64");
    return { privateKey, publicKey: computeTesseraPublicKey(privateKey, "seed") };
}

/** Contents of an unlocked Tessera `.key` file. */
export function formatTesseraPrivateKeyFile(privateKeyBase64: string): string {
    return JSON.stringify({ type: "unlocked", data: { bytes: privateKeyBase64 } });
}

/**
 * Reads a Tessera private key given either as the `.key` file's JSON (unlocked only) or as the
 * bare base64 string.
 * @throws QstackError INVALID_KEY naming `key`.
 */
export function parseTesseraPrivateKey(input: string, key: string): string {
    const text = input.trim();
    if (!text.startsWith("{")) {
        decode32(text, key);
        return text;
    }
    let parsed: unknown;
    try {
        parsed = JSON.parse(text);
    } catch {
        throw new QstackError("INVALID_KEY", [
            { key, reason: "Tessera key file is not valid JSON", value: REDACTED, allowed: '{"type":"unlocked","data":{"bytes":"<base64>"}} or bare base64' },
        ]);
    }
    const file = parsed as { type?: unknown; data?: { bytes?: unknown } };
    if (file.type !== "unlocked" || typeof file.data?.bytes !== "string") {
        throw new QstackError("INVALID_KEY", [
            {
                key,
                reason: `only unlocked Tessera key files can be imported (type is ${JSON.stringify(file.type)})`,
                value: REDACTED,
                allowed: '{"type":"unlocked","data":{"bytes":"<base64>"}}',
            },
        ]);
    }
    decode32(file.data.bytes, key);
    return file.data.bytes;
}
