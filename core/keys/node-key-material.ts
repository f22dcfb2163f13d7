/**
 * Everything secret and public about one node's identity, derived in one place.
 *
 * Inputs are 32-byte random seeds (from `@pulumi/random` state) and optional imported keys (a
 * migrated network's existing key files). The derivation is pure and deterministic: the same
 * seeds and imports always give byte-identical material.
 */
import { createHash } from "node:crypto";
import { encryptKeystore, keystoreAddress, keystorePasswordFromSeed, parseKeystore } from "./keystore";
import { computeKeyIdentity, getPrivateKeyHex, privateKeyFromSeed } from "./secp256k1-key";
import { computeTesseraPublicKey, parseTesseraPrivateKey, tesseraKeyPairFromSeed } from "./tessera-key";

/**
 * The node's three 32-byte seeds (64 hex each) from one random secret string: SHA-256 of it
 * under a distinct label per key, so the keys are independent of each other.
 *
 * qstack draws its randomness as one `random.RandomPassword` per node (64 alphanumerics, ~381
 * bits) rather than `random.RandomBytes`, because the upstream provider uses a RandomBytes'
 * base64 value as its resource ID, and IDs are stored in plaintext in Pulumi state
 * (pulumi-random resources.go, computeRandomBytesID); a RandomPassword's ID is "none" and its
 * result a secret.
 */
export function seedsFromSecret(secret: string): NodeSeeds {
    const seed = (label: string) => createHash("sha256").update(`qstack/${label}/${secret}`, "utf8").digest("hex");
    return { nodeKey: seed("nodekey"), account: seed("account"), tessera: seed("tessera") };
}

/** 32-byte random seeds, 64 hex each. */
export interface NodeSeeds {
    readonly nodeKey: string;
    readonly account: string;
    readonly tessera: string;
}

/**
 * Existing keys to keep instead of generated ones, e.g. from a Qubernetes key directory
 * (`nodekey`, `tm.key`, `acctkeyfile.json` + `password.txt`). All optional, all secret.
 */
export interface ImportedNodeKeys {
    /** Contents of the `nodekey` file: 64 hex, optional 0x and trailing newline. */
    readonly nodeKey?: string;
    /** Contents of `tm.key` (unlocked JSON) or the bare base64 private key. */
    readonly tesseraPrivateKey?: string;
    /** Raw account private key, 64 hex. Exclusive with `accountKeystore`. */
    readonly accountKey?: string;
    /** A geth V3 keystore JSON, kept byte for byte. Requires `accountPassword`. */
    readonly accountKeystore?: string;
    /** Password of `accountKeystore` (Qubernetes: empty string). */
    readonly accountPassword?: string;
}

/** The public half: safe to export, share with partners and put in ConfigMaps. */
export interface NodeIdentity {
    /** 128 hex, no 0x: the node's p2p public key. */
    readonly enodeId: string;
    /** EIP-55 address of the nodekey: the IBFT/QBFT validator address. */
    readonly nodeAddress: string;
    /** EIP-55 address of the account key: genesis allocation and clique signer. */
    readonly accountAddress: string;
    /** base64 Tessera public key. */
    readonly tesseraPublicKey: string;
}

/** The secret half: only ever in a Pulumi secret and a Kubernetes Secret. */
export interface NodeSecrets {
    /** `nodekey` file contents: 64 hex, no 0x, no newline. */
    readonly nodeKey: string;
    /** V3 keystore JSON of the account key. */
    readonly accountKeystore: string;
    /** Password that unlocks `accountKeystore`. */
    readonly accountPassword: string;
    /** base64 Tessera private key. */
    readonly tesseraPrivateKey: string;
}

export interface NodeKeyMaterial extends NodeIdentity, NodeSecrets {}

/**
 * Derives a node's key material from its seeds, preferring imported keys where given.
 * `keyPrefix` names the config path in errors, e.g. `qstack:importedKeys.validator1`.
 */
export function deriveNodeKeyMaterial(seeds: NodeSeeds, imported: ImportedNodeKeys = {}, keyPrefix = "importedKeys"): NodeKeyMaterial {
    const nodeKey = imported.nodeKey
        ? getPrivateKeyHex(imported.nodeKey, `${keyPrefix}.nodeKey`)
        : privateKeyFromSeed(seeds.nodeKey);

    let accountKeystore: string;
    let accountPassword: string;
    let accountAddress: string;
    if (imported.accountKeystore !== undefined) {
        const keystore = parseKeystore(imported.accountKeystore, `${keyPrefix}.accountKeystore`);
        accountKeystore = imported.accountKeystore.trim();
        accountPassword = imported.accountPassword ?? "";
        accountAddress = keystoreAddress(keystore);
    } else {
        const accountKey = imported.accountKey
            ? getPrivateKeyHex(imported.accountKey, `${keyPrefix}.accountKey`)
            : privateKeyFromSeed(seeds.account);
        accountPassword = keystorePasswordFromSeed(seeds.account);
        const keystore = encryptKeystore(accountKey, accountPassword);
        accountKeystore = JSON.stringify(keystore);
        accountAddress = keystoreAddress(keystore);
    }

    const tessera = imported.tesseraPrivateKey
        ? (() => {
              const privateKey = parseTesseraPrivateKey(imported.tesseraPrivateKey, `${keyPrefix}.tesseraPrivateKey`);
              return { privateKey, publicKey: computeTesseraPublicKey(privateKey) };
          })()
        : tesseraKeyPairFromSeed(seeds.tessera);

    const node = computeKeyIdentity(nodeKey);
    return {
        nodeKey,
        enodeId: node.enodeId,
        nodeAddress: node.address,
        accountAddress,
        accountKeystore,
        accountPassword,
        tesseraPrivateKey: tessera.privateKey,
        tesseraPublicKey: tessera.publicKey,
    };
}

/** Only the public fields of a node's material. */
export function publicIdentity(m: NodeIdentity): NodeIdentity {
    return {
        enodeId: m.enodeId,
        nodeAddress: m.nodeAddress,
        accountAddress: m.accountAddress,
        tesseraPublicKey: m.tesseraPublicKey,
    };
}
