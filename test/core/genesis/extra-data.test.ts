import assert from "node:assert/strict";
import { encodeCliqueExtraData, encodeIbftExtraData, encodeQbftExtraData, encodeRaftExtraData } from "../../../core/genesis/extra-data";
import { computeKeyAddress } from "../../../core/keys/secp256k1-key";
import { extraDataLines, nodeKeys, vectorJson } from "../../helpers/vectors";

/** Validators in node order, derived from the vector nodekeys (not from any extraData). */
const validators = nodeKeys().map(computeKeyAddress);

describe("core/genesis/extra-data", () => {
    const ibft = extraDataLines("istanbul-extradata.txt");
    const qbft = extraDataLines("qbft-extradata.txt");
    for (let n = 1; n <= 7; n++) {
        it(`encodes IBFT extraData for the first ${n} quorum-examples validators byte for byte`, () => {
            assert.equal(encodeIbftExtraData(validators.slice(0, n)), ibft.get(n));
        });
        it(`encodes QBFT extraData for the first ${n} quorum-examples validators byte for byte`, () => {
            assert.equal(encodeQbftExtraData(validators.slice(0, n)), qbft.get(n));
        });
    }

    it("matches istanbul-genesis.json (IBFT, node order)", () => {
        assert.equal(encodeIbftExtraData(validators), vectorJson<{ extraData: string }>("istanbul-genesis.json").extraData.toLowerCase());
    });

    it("matches qbft-genesis.json (QBFT, validators sorted ascending)", () => {
        const sorted = [...validators].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()));
        assert.equal(encodeQbftExtraData(sorted), vectorJson<{ extraData: string }>("qbft-genesis.json").extraData.toLowerCase());
    });

    it("encodes QBFT round 0 as 0x80 and an empty vote, so genesis extraData ends in c080c0", () => {
        assert.ok(encodeQbftExtraData(validators.slice(0, 1)).endsWith("c080c0"));
    });

    it("encodes clique extraData as quorum-examples clique-extradata.txt (signers = alloc accounts, in order)", () => {
        const signers = Object.keys(vectorJson<{ alloc: Record<string, unknown> }>("clique-genesis.json").alloc);
        const lines = extraDataLines("clique-extradata.txt");
        // The alloc names five accounts, so the 1..5-signer lines can be rebuilt independently.
        assert.equal(signers.length, 5);
        for (let n = 1; n <= signers.length; n++) assert.equal(encodeCliqueExtraData(signers.slice(0, n)), lines.get(n), `${n} signers`);
    });

    it("encodes raft extraData as 32 zero bytes, as quorum-examples genesis.json", () => {
        assert.equal(encodeRaftExtraData(), vectorJson<{ extraData: string }>("genesis.json").extraData);
    });

    it("rejects a validator that is not an address, naming its position", () => {
        assert.throws(() => encodeQbftExtraData([validators[0], "0x1234"]), /validators\[1\]: not an Ethereum address/);
    });
});
