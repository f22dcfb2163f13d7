import assert from "node:assert/strict";
import { buildGenesis, computeGenesisHash, ISTANBUL_MIX_HASH } from "../../../core/genesis/genesis";
import { canonicalJson } from "../../../core/genesis/canonical-json";
import { encodeQbftExtraData } from "../../../core/genesis/extra-data";
import { vectorJson } from "../../helpers/vectors";
import { vectorAccounts, vectorGenesisSpec, vectorValidators } from "../../helpers/genesis-spec";

const validators = vectorValidators;
const accounts = vectorAccounts;
const spec = vectorGenesisSpec;

type Doc = { config: Record<string, any>; [k: string]: any };

describe("core/genesis/genesis", () => {
    it("writes QBFT with the qbft config object, difficulty 0x1, the istanbul mixHash and QBFT extraData", () => {
        const g = buildGenesis(spec("qbft")) as Doc;
        assert.equal(g.difficulty, "0x1");
        assert.equal(g.mixHash, ISTANBUL_MIX_HASH);
        assert.equal(g.extraData, encodeQbftExtraData(validators));
        assert.deepEqual(g.config.qbft, { epochlength: 30000, blockperiodseconds: 5, requesttimeoutseconds: 10, policy: 0, ceil2Nby3Block: 0 });
        assert.equal(g.config.istanbul, undefined);
        assert.equal(g.config.ibft, undefined);
    });

    it("caps the QBFT round timeout only when asked, under the key GoQuorum 24.4.1 reads (params/config.go QBFTConfig)", () => {
        assert.equal("maxRequestTimeoutSeconds" in (buildGenesis(spec("qbft")) as Doc).config.qbft, false);
        const capped = buildGenesis({ ...spec("qbft"), maxRequestTimeoutSeconds: 60 }) as Doc;
        assert.equal(capped.config.qbft.maxRequestTimeoutSeconds, 60);
        assert.equal(capped.config.qbft.requesttimeoutseconds, 10);
    });

    it("uses the same mixHash GoQuorum's IstanbulDigest vectors carry", () => {
        assert.equal(ISTANBUL_MIX_HASH, vectorJson<{ mixHash: string }>("qbft-genesis.json").mixHash);
        assert.equal(ISTANBUL_MIX_HASH, vectorJson<{ mixHash: string }>("istanbul-genesis.json").mixHash);
    });

    it("writes IBFT with the ibft config object and no qbft object", () => {
        const g = buildGenesis(spec("ibft")) as Doc;
        assert.ok(g.config.ibft);
        assert.equal(g.config.qbft, undefined);
        assert.equal(g.difficulty, "0x1");
    });

    it("writes raft with no consensus object, difficulty 0x0 and the raft mixHash of quorum-examples", () => {
        const g = buildGenesis(spec("raft")) as Doc;
        const vector = vectorJson<Doc>("genesis.json");
        assert.equal(g.difficulty, "0x0");
        assert.equal(g.mixHash, vector.mixhash); // Go matches JSON keys case-insensitively
        assert.equal(g.extraData, vector.extraData);
        for (const k of ["qbft", "ibft", "istanbul", "clique"]) assert.equal(g.config[k], undefined);
    });

    it("writes clique with sorted signer accounts and the clique object", () => {
        const g = buildGenesis(spec("clique")) as Doc;
        assert.deepEqual(g.config.clique, { period: 5, epoch: 30000 });
        const hex = (g.extraData as string).slice(2);
        assert.equal(hex.length, (32 + 2 * 20 + 65) * 2);
        assert.equal(`0x${hex.slice(64, 104)}`, accounts[1]); // ca84… sorts before ed9d…
        assert.equal(`0x${hex.slice(104, 144)}`, accounts[0]);
    });

    for (const consensus of ["qbft", "ibft", "raft", "clique"] as const) {
        it(`${consensus}: has isQuorum, chainId, the code size limit as a block-0 transition, and none of the keys geth init rejects or deprecates`, () => {
            const g = buildGenesis(spec(consensus)) as Doc;
            assert.equal(g.config.isQuorum, true);
            assert.equal(g.config.chainId, 1337);
            assert.deepEqual(g.config.transitions, [{ block: 0, contractsizelimit: 64 }]);
            assert.equal(g.config.txnSizeLimit, 64);
            for (const bad of ["maxCodeSize", "maxCodeSizeChangeBlock", "maxCodeSizeConfig", "londonBlock", "validatorcontractaddress"]) {
                assert.equal(JSON.stringify(g).includes(`"${bad}"`), false, bad);
            }
            assert.deepEqual(Object.keys(g.alloc), accounts);
        });
    }

    it("hashes the canonical form, so key order does not change the hash", () => {
        const g = buildGenesis(spec("qbft"));
        const reordered = Object.fromEntries(Object.entries(g).reverse());
        assert.equal(computeGenesisHash(reordered), computeGenesisHash(g));
        assert.equal(canonicalJson({ b: 1, a: [{ d: 1, c: 2 }] }), '{"a":[{"c":2,"d":1}],"b":1}');
    });

    it("changes the hash when any value changes", () => {
        const a = computeGenesisHash(buildGenesis(spec("qbft")));
        const b = computeGenesisHash(buildGenesis({ ...spec("qbft"), chainId: 1338 }));
        assert.notEqual(a, b);
        assert.match(a, /^0x[0-9a-f]{64}$/);
    });
});
