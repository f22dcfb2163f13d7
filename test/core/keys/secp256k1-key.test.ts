import assert from "node:assert/strict";
import { decodeRlp, getBytes, hexlify } from "ethers";
import {
    computeEnodeId,
    computeKeyAddress,
    computeKeyIdentity,
    getPrivateKeyHex,
    privateKeyFromSeed,
} from "../../../core/keys/secp256k1-key";
import { QstackError } from "../../../core/errors";
import { extraDataLines, nodeKeys, vectorJson } from "../../helpers/vectors";

/** Validator addresses as quorum-examples encoded them in the 7-node IBFT extraData. */
function ibftValidatorsFromVector(): string[] {
    const extra = extraDataLines("istanbul-extradata.txt").get(7)!;
    const [validators] = decodeRlp(hexlify(getBytes(extra).slice(32))) as unknown as [string[]];
    return validators.map((v) => v.toLowerCase());
}

describe("core/keys/secp256k1-key", () => {
    const keys = nodeKeys();
    const enodeUrls = vectorJson<string[]>("permissioned-nodes.json");
    const validators = ibftValidatorsFromVector();

    keys.forEach((key, i) => {
        it(`derives the enode id of quorum-examples nodekey${i + 1} as permissioned-nodes.json lists it`, () => {
            const expected = /^enode:\/\/([0-9a-f]{128})@/.exec(enodeUrls[i])![1];
            assert.equal(computeEnodeId(key), expected);
        });
        it(`derives the validator address of nodekey${i + 1} as istanbul-extradata.txt encodes it`, () => {
            assert.equal(computeKeyAddress(key).toLowerCase(), validators[i]);
        });
    });

    it("computes enode id and address together, identical to the separate functions", () => {
        const id = computeKeyIdentity(keys[0]);
        assert.deepEqual(id, { enodeId: computeEnodeId(keys[0]), address: computeKeyAddress(keys[0]) });
    });

    it("returns EIP-55 checksummed addresses", () => {
        assert.equal(computeKeyAddress(keys[0]), "0xd8Dba507e85F116b1f7e231cA8525fC9008A6966");
    });

    it("keeps an in-range seed as the key itself", () => {
        assert.equal(privateKeyFromSeed(keys[0]), keys[0]);
    });

    it("re-hashes a zero seed into a valid key, deterministically", () => {
        const k = privateKeyFromSeed("00".repeat(32));
        assert.notEqual(k, "00".repeat(32));
        assert.match(k, /^[0-9a-f]{64}$/);
        assert.equal(privateKeyFromSeed("00".repeat(32)), k);
    });

    it("re-hashes a seed at or above the curve order", () => {
        const order = "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141";
        for (const seed of [order, "ff".repeat(32)]) {
            const k = privateKeyFromSeed(seed);
            assert.notEqual(k, seed);
            assert.ok(BigInt(`0x${k}`) < BigInt(`0x${order}`));
        }
    });

    it("accepts an imported nodekey file with 0x and a trailing newline", () => {
        assert.equal(getPrivateKeyHex(`0x${keys[1].toUpperCase()}\n`, "k"), keys[1]);
    });

    for (const [what, value] of [
        ["too short", "abcd"],
        ["not hex", "zz".repeat(32)],
        ["zero", "00".repeat(32)],
        ["above the curve order", "ff".repeat(32)],
    ]) {
        it(`rejects an imported key that is ${what}, naming the key but not echoing it`, () => {
            assert.throws(
                () => getPrivateKeyHex(value, "qstack:importedKeys.n1.nodeKey"),
                (e: unknown) =>
                    e instanceof QstackError &&
                    e.code === "INVALID_KEY" &&
                    e.message.startsWith("qstack:importedKeys.n1.nodeKey: ") &&
                    e.message.includes("[REDACTED]") &&
                    !e.message.includes(value),
            );
        });
    }
});
