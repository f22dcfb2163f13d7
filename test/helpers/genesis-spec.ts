import type { Consensus, GenesisSpec } from "../../core/genesis/genesis";
import { computeKeyAddress } from "../../core/keys/secp256k1-key";
import { nodeKeys } from "./vectors";

/** Validators of the genesis tests: the first four quorum-examples nodekeys' addresses. */
export const vectorValidators = nodeKeys().slice(0, 4).map(computeKeyAddress);
export const vectorAccounts = ["0xed9d02e382b34818e88b88a309c7fe71e65f419d", "0xca843569e3427144cead5e4d5999a3d0ccf92b8e"];

/** A genesis spec with qstack's default settings, the vector validators and two funded accounts. */
export function vectorGenesisSpec(consensus: Consensus): GenesisSpec {
    return {
        consensus,
        chainId: 1337,
        validators: vectorValidators,
        cliqueSigners: [vectorAccounts[1], vectorAccounts[0]],
        alloc: vectorAccounts.map((address) => ({ address, balance: "1000" })),
        gasLimit: "0xE0000000",
        blockPeriodSeconds: 5,
        epochLength: 30000,
        requestTimeoutSeconds: 10,
        txnSizeLimit: 64,
        maxCodeSizeKb: 64,
    };
}
