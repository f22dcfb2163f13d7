import assert from "node:assert/strict";
import { buildGenesis, type Genesis } from "../../../core/genesis/genesis";
import { describeGenesisSettingDifferences, genesisSettingDifferences, readGenesisSettings } from "../../../core/genesis/genesis-settings";
import { computeKeyAddress } from "../../../core/keys/secp256k1-key";
import { nodeKeys, vectorJson } from "../../helpers/vectors";
import { vectorGenesisSpec } from "../../helpers/genesis-spec";
import { legacyGenesisForm } from "../../helpers/legacy-genesis";

const qbft = vectorGenesisSpec("qbft");
const validators = qbft.validators;

describe("core/genesis/genesis-settings", () => {
    it("reads back every genesis-only setting qstack writes", () => {
        assert.deepEqual(readGenesisSettings(buildGenesis({ ...qbft, maxRequestTimeoutSeconds: 60 })), {
            blockPeriodSeconds: 5,
            epochLength: 30000,
            requestTimeoutSeconds: 10,
            maxRequestTimeoutSeconds: 60,
            gasLimit: "0xe0000000",
            txnSizeLimit: 64,
            maxCodeSizeKb: 64,
        });
        const clique = readGenesisSettings(buildGenesis({ ...qbft, consensus: "clique", blockPeriodSeconds: 2, epochLength: 100 }));
        assert.equal(clique.blockPeriodSeconds, 2);
        assert.equal(clique.epochLength, 100);
        assert.equal(clique.requestTimeoutSeconds, undefined);
    });

    it("reads the code size limit of quorum-examples' genesis (maxCodeSizeConfig) and its gas limit", () => {
        const vector = readGenesisSettings(vectorJson<Genesis>("qbft-genesis.json"));
        assert.equal(vector.maxCodeSizeKb, 64);
        assert.equal(vector.gasLimit, "0xe0000000");
        assert.equal(vector.maxRequestTimeoutSeconds, undefined);
    });

    it("finds no difference when only validators and accounts changed (nodes added after the genesis froze), nor between qstack's two code-size forms", () => {
        const founded = buildGenesis(qbft);
        const grown = buildGenesis({ ...qbft, validators: [...validators, computeKeyAddress(nodeKeys()[5])], alloc: [...qbft.alloc, { address: computeKeyAddress(nodeKeys()[6]), balance: "1" }] });
        assert.deepEqual(genesisSettingDifferences(founded, grown), []);
        assert.deepEqual(genesisSettingDifferences(legacyGenesisForm(founded), founded), []);
    });

    it("lists each changed setting with the configured and the deployed value", () => {
        const deployed = buildGenesis(qbft);
        const configured = buildGenesis({ ...qbft, blockPeriodSeconds: 2, maxRequestTimeoutSeconds: 60, gasLimit: "0x1000" });
        assert.deepEqual(genesisSettingDifferences(deployed, configured), [
            { setting: "blockPeriodSeconds", configured: 2, deployed: 5 },
            { setting: "maxRequestTimeoutSeconds", configured: 60, deployed: undefined },
            { setting: "gasLimit", configured: "0x1000", deployed: "0xe0000000" },
        ]);
    });

    it("explains the differences with each setting named as the user sets it", () => {
        const text = describeGenesisSettingDifferences(
            [{ setting: "maxRequestTimeoutSeconds", configured: 60, deployed: undefined }],
            (s) => `qstack:${s}`,
        );
        assert.match(text, /fixed at its first deployment, so this setting has no effect: qstack:maxRequestTimeoutSeconds is 60 in config but not set in the genesis\./);
        assert.match(text, /genesis transition, which qstack does not automate/);
    });
});
