/**
 * geth V3 keystore files (accounts/keystore/passphrase.go), deterministic.
 *
 * geth and ethers draw a fresh salt, IV and UUID for every encryption, so the same key gives a
 * different file each time: in a Pulumi program that would be a diff on every preview. Here all
 * three are derived from the key itself with HMAC-SHA256 and a domain label, so one key and
 * password always give byte-identical files, and nothing about the key leaks (HMAC is one-way).
 *
 * KDF cost: scrypt stretching protects guessable passwords. qstack's keystore passwords are
 * 256-bit random secrets that live in the same Kubernetes Secret as the keystore, so stretching
 * adds no security there, while every preview re-derives the keystore (the program is stateless
 * between runs). New keystores therefore use N=1024, r=8, p=1: about 2 ms per node, where geth's
 * standard N=262144 costs about a second and its "light" N=4096 still 8 ms (measured: 128
 * keystores took 1.0 s of a 4 s evaluation with N=4096). geth and ethers accept any power-of-two
 * N. Imported keystores are kept as they are, whatever their parameters.
 */
import { createCipheriv, createDecipheriv, createHmac, pbkdf2Sync, scryptSync } from "node:crypto";
import { getAddress, keccak256 } from "ethers";
import { QstackError, REDACTED } from "../errors";
import { computeKeyAddress } from "./secp256k1-key";

/** scrypt parameters written into new keystores (see above for why N is small). */
export const KEYSTORE_SCRYPT = { n: 1024, r: 8, p: 1, dklen: 32 } as const;

/** The JSON shape of a V3 keystore, as geth writes it. */
export interface KeystoreV3 {
    address: string;
    crypto: {
        cipher: "aes-128-ctr";
        ciphertext: string;
        cipherparams: { iv: string };
        kdf: "scrypt" | "pbkdf2";
        kdfparams: Record<string, number | string>;
        mac: string;
    };
    id: string;
    version: 3;
}

function hmac(keyHex: string, label: string): Buffer {
    return createHmac("sha256", Buffer.from(keyHex, "hex")).update(`qstack/keystore/${label}`).digest();
}

function uuidFrom(bytes: Buffer): string {
    const b = Buffer.from(bytes.subarray(0, 16));
    b[6] = (b[6] & 0x0f) | 0x40; // version 4 layout, as geth's google/uuid.NewRandom
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = b.toString("hex");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** A 64-hex password derived from a seed; high entropy, so the light KDF is enough. */
export function keystorePasswordFromSeed(seedHex: string): string {
    return hmac(seedHex, "password").toString("hex");
}

function macOf(derivedKey: Buffer, ciphertext: Buffer): string {
    return keccak256(Buffer.concat([derivedKey.subarray(16, 32), ciphertext])).slice(2);
}

/**
 * Encrypts a private key (64 hex) into a V3 keystore with salt, IV and id derived from the key.
 * Same inputs, same bytes.
 */
export function encryptKeystore(privateKeyHex: string, password: string): KeystoreV3 {
    const { n, r, p, dklen } = KEYSTORE_SCRYPT;
    const salt = hmac(privateKeyHex, "salt");
    const iv = hmac(privateKeyHex, "iv").subarray(0, 16);
    const derivedKey = scryptSync(Buffer.from(password, "utf8"), salt, dklen, { N: n, r, p, maxmem: 256 * 1024 * 1024 });
    const cipher = createCipheriv("aes-128-ctr", derivedKey.subarray(0, 16), iv);
    const ciphertext = Buffer.concat([cipher.update(Buffer.from(privateKeyHex, "hex")), cipher.final()]);
    return {
        address: computeKeyAddress(privateKeyHex).slice(2).toLowerCase(),
        crypto: {
            cipher: "aes-128-ctr",
            ciphertext: ciphertext.toString("hex"),
            cipherparams: { iv: iv.toString("hex") },
            kdf: "scrypt",
            kdfparams: { dklen, n, p, r, salt: salt.toString("hex") },
            mac: macOf(derivedKey, ciphertext),
        },
        id: uuidFrom(hmac(privateKeyHex, "id")),
        version: 3,
    };
}

function invalid(key: string, reason: string): QstackError {
    return new QstackError("INVALID_KEY", [
        { key, reason, value: REDACTED, allowed: "a geth V3 keystore (scrypt or pbkdf2, aes-128-ctr)" },
    ]);
}

/**
 * Parses and structurally validates a V3 keystore without decrypting it (decryption can cost a
 * second of scrypt, which a preview must not pay). Accepts geth's `crypto` and ethers' `Crypto`.
 * @throws QstackError INVALID_KEY naming `key`.
 */
export function parseKeystore(input: string, key: string): KeystoreV3 {
    let raw: Record<string, unknown>;
    try {
        raw = JSON.parse(input) as Record<string, unknown>;
    } catch {
        throw invalid(key, "keystore is not valid JSON");
    }
    const crypto = (raw.crypto ?? raw.Crypto) as KeystoreV3["crypto"] | undefined;
    if (raw.version !== 3) throw invalid(key, `keystore version must be 3 (found ${JSON.stringify(raw.version)})`);
    if (typeof raw.address !== "string" || !/^(0x)?[0-9a-fA-F]{40}$/.test(raw.address)) {
        throw invalid(key, "keystore has no valid 'address'");
    }
    if (!crypto || crypto.cipher !== "aes-128-ctr") throw invalid(key, "keystore cipher must be aes-128-ctr");
    if (crypto.kdf !== "scrypt" && crypto.kdf !== "pbkdf2") throw invalid(key, `unsupported kdf ${JSON.stringify(crypto.kdf)}`);
    for (const [name, v] of [
        ["ciphertext", crypto.ciphertext],
        ["iv", crypto.cipherparams?.iv],
        ["mac", crypto.mac],
    ] as const) {
        if (typeof v !== "string" || !/^[0-9a-fA-F]+$/.test(v)) throw invalid(key, `keystore '${name}' is not hex`);
    }
    return { ...(raw as unknown as KeystoreV3), crypto };
}

/** The checksummed account address recorded in a keystore. */
export function keystoreAddress(keystore: KeystoreV3): string {
    return getAddress(keystore.address.startsWith("0x") ? keystore.address : `0x${keystore.address}`);
}

/**
 * Decrypts a V3 keystore, verifying the MAC exactly as geth does. Returns 64 hex chars.
 * @throws QstackError INVALID_KEY when the password is wrong or the file is corrupt.
 */
export function decryptKeystore(keystore: KeystoreV3, password: string, key = "keystore"): string {
    const c = keystore.crypto;
    const kp = c.kdfparams;
    const salt = Buffer.from(String(kp.salt), "hex");
    const pw = Buffer.from(password, "utf8");
    let derivedKey: Buffer;
    if (c.kdf === "scrypt") {
        const N = Number(kp.n);
        const r = Number(kp.r);
        derivedKey = scryptSync(pw, salt, Number(kp.dklen), { N, r, p: Number(kp.p), maxmem: 256 * N * r + 64 * 1024 * 1024 });
    } else {
        if (kp.prf !== "hmac-sha256") throw invalid(key, `unsupported pbkdf2 prf ${JSON.stringify(kp.prf)}`);
        derivedKey = pbkdf2Sync(pw, salt, Number(kp.c), Number(kp.dklen), "sha256");
    }
    const ciphertext = Buffer.from(c.ciphertext, "hex");
    if (macOf(derivedKey, ciphertext) !== c.mac.toLowerCase()) {
        throw invalid(key, "keystore MAC mismatch: wrong password or corrupt file");
    }
    const decipher = createDecipheriv("aes-128-ctr", derivedKey.subarray(0, 16), Buffer.from(c.cipherparams.iv, "hex"));
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString("hex");
}
