import assert from "node:assert/strict";
import {
    computeTesseraPublicKey,
    formatTesseraPrivateKeyFile,
    parseTesseraPrivateKey,
    tesseraKeyPairFromSeed,
} from "../../../core/keys/tessera-key";
import { QstackError } from "../../../core/errors";
import { vectorFile } from "../../helpers/vectors";

describe("core/keys/tessera-key", () => {
    for (const n of [1, 2, 3, 4]) {
        it(`derives quorum-examples tm${n}.pub from tm${n}.key`, () => {
            const privateKey = parseTesseraPrivateKey(vectorFile(`keys/tm${n}.key`), "tm.key");
            assert.equal(computeTesseraPublicKey(privateKey), vectorFile(`keys/tm${n}.pub`).trim());
        });
    }

    it("round-trips the unlocked .key file format", () => {
        const priv = parseTesseraPrivateKey(vectorFile("keys/tm1.key"), "k");
        assert.deepEqual(JSON.parse(formatTesseraPrivateKeyFile(priv)), JSON.parse(vectorFile("keys/tm1.key")));
    });

    it("uses the seed bytes unclamped as the private key, as Tessera stores them", () => {
        const seed = Buffer.from(parseTesseraPrivateKey(vectorFile("keys/tm1.key"), "k"), "base64").toString("hex");
        const pair = tesseraKeyPairFromSeed(seed);
        assert.equal(pair.publicKey, vectorFile("keys/tm1.pub").trim());
    });

    it("accepts a bare base64 private key", () => {
        assert.equal(parseTesseraPrivateKey("Wl+xSyXVuuqzpvznOS7dOobhcn4C5auxkFRi7yLtgtA=", "k"), "Wl+xSyXVuuqzpvznOS7dOobhcn4C5auxkFRi7yLtgtA=");
    });

    for (const [what, input] of [
        ["locked (argon2sbox) key files", '{"type":"argon2sbox","data":{"sbox":"x"}}'],
        ["invalid JSON", "{nope"],
        ["a short key", "AAAA"],
    ]) {
        it(`rejects ${what} with the config key named`, () => {
            assert.throws(() => parseTesseraPrivateKey(input, "qstack:importedKeys.n.tesseraPrivateKey"), (e: unknown) =>
                e instanceof QstackError && e.message.startsWith("qstack:importedKeys.n.tesseraPrivateKey: "));
        });
    }
});
