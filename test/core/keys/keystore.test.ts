import assert from "node:assert/strict";
import { Wallet } from "ethers";
import { decryptKeystore, encryptKeystore, keystoreAddress, parseKeystore, KEYSTORE_SCRYPT } from "../../../core/keys/keystore";
import { computeKeyAddress } from "../../../core/keys/secp256k1-key";
import { QstackError } from "../../../core/errors";
import { vectorFile } from "../../helpers/vectors";

describe("core/keys/keystore", () => {
    for (const n of [1, 2]) {
        it(`decrypts quorum-examples keys/key${n} (empty password) to the key of its address`, () => {
            const keystore = parseKeystore(vectorFile(`keys/key${n}`), "key");
            const key = decryptKeystore(keystore, vectorFile("passwords.txt").trim());
            assert.equal(computeKeyAddress(key).toLowerCase(), `0x${keystore.address}`);
        });
    }

    it("decrypts key1 to the private key quorum-dev-quickstart publishes for validator1", () => {
        const key = decryptKeystore(parseKeystore(vectorFile("keys/key1"), "key"), "");
        assert.equal(key, "e6181caaffff94a09d7e332fc8da9884d99902c7874eb74354bdcadf411929f1");
    });

    const privateKey = "4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318";

    it("encrypts deterministically: same key and password, same bytes", () => {
        assert.deepEqual(encryptKeystore(privateKey, "pw"), encryptKeystore(privateKey, "pw"));
    });

    it("writes a keystore that ethers (an independent implementation) decrypts", () => {
        const json = JSON.stringify(encryptKeystore(privateKey, "secret"));
        const wallet = Wallet.fromEncryptedJsonSync(json, "secret");
        assert.equal(wallet.privateKey, `0x${privateKey}`);
    });

    it("uses a small scrypt N (the password is a 256-bit secret) in the geth V3 layout", () => {
        const ks = encryptKeystore(privateKey, "pw");
        assert.equal(ks.version, 3);
        assert.equal(ks.crypto.cipher, "aes-128-ctr");
        assert.equal(ks.crypto.kdfparams.n, 1024);
        assert.equal(KEYSTORE_SCRYPT.n, 1024);
        assert.equal(keystoreAddress(ks), computeKeyAddress(privateKey));
        assert.match(ks.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    });

    it("rejects a wrong password with a MAC error", () => {
        const ks = encryptKeystore(privateKey, "right");
        assert.throws(() => decryptKeystore(ks, "wrong"), (e: unknown) => e instanceof QstackError && /MAC mismatch/.test(e.message));
    });

    for (const [what, text] of [
        ["not JSON", "nope"],
        ["version 1", '{"version":1,"address":"ed9d02e382b34818e88b88a309c7fe71e65f419d"}'],
        ["no address", '{"version":3,"crypto":{}}'],
    ]) {
        it(`rejects a keystore that is ${what}`, () => {
            assert.throws(() => parseKeystore(text, "qstack:importedKeys.n.accountKeystore"), (e: unknown) =>
                e instanceof QstackError && e.message.startsWith("qstack:importedKeys.n.accountKeystore: "));
        });
    }
});

describe("core/keys/node-key-material seeds", () => {
    it("derives three distinct, deterministic 32-byte seeds from one random secret", async () => {
        const { seedsFromSecret } = await import("../../../core/keys/node-key-material");
        const a = seedsFromSecret("x".repeat(64));
        assert.deepEqual(a, seedsFromSecret("x".repeat(64)));
        assert.equal(new Set([a.nodeKey, a.account, a.tessera]).size, 3);
        for (const s of Object.values(a)) assert.match(s, /^[0-9a-f]{64}$/);
        assert.notDeepEqual(seedsFromSecret("y".repeat(64)), a);
    });
});
