/**
 * GoQuorum genesis.json for qbft, ibft, raft and clique (GoQuorum 22–24: params/config.go,
 * core/genesis.go). Only keys that `geth init` of 24.4.1 accepts, none of the deprecated ones
 * that make it fail (`maxCodeSize`, `maxCodeSizeChangeBlock`) or warn on every block
 * (`maxCodeSizeConfig`, replaced by the `contractsizelimit` transition), and the BFT `qbft`/`ibft`
 * objects rather than the legacy `istanbul` one that needs the deprecated
 * `--istanbul.blockperiod` flag.
 */
import { getAddress } from "ethers";
import { canonicalHash } from "./canonical-json";
import { encodeCliqueExtraData, encodeIbftExtraData, encodeQbftExtraData, encodeRaftExtraData } from "./extra-data";

export const CONSENSUS_ALGORITHMS = ["qbft", "ibft", "raft", "clique"] as const;
export type Consensus = (typeof CONSENSUS_ALGORITHMS)[number];

/** `IstanbulDigest`: the mixHash every IBFT/QBFT header must carry. */
export const ISTANBUL_MIX_HASH = "0x63746963616c2062797a616e74696e65206661756c7420746f6c6572616e6365";
/** The raft mixHash used by quorum-examples and the quickstart (arbitrary but conventional). */
export const RAFT_MIX_HASH = "0x00000000000000000000000000000000000000647572616c65787365646c6578";
const ZERO_HASH = `0x${"00".repeat(32)}`;
const ZERO_ADDRESS = `0x${"00".repeat(20)}`;

export interface GenesisSpec {
    readonly consensus: Consensus;
    /** Never 1: GoQuorum refuses mainnet's chain id. */
    readonly chainId: number;
    /** IBFT/QBFT validator (nodekey) addresses, in extraData order. */
    readonly validators: readonly string[];
    /** Clique signer (account) addresses; sorted ascending in extraData as clique expects. */
    readonly cliqueSigners: readonly string[];
    /** Pre-funded accounts. Balance in wei, decimal string. */
    readonly alloc: readonly { readonly address: string; readonly balance: string }[];
    /** Block gas limit, 0x-hex. */
    readonly gasLimit: string;
    /** BFT and clique block period, seconds. */
    readonly blockPeriodSeconds: number;
    /** BFT epoch length / clique epoch, blocks. */
    readonly epochLength: number;
    /** BFT round timeout, seconds. */
    readonly requestTimeoutSeconds: number;
    /**
     * QBFT only: the cap on the round timeout, which otherwise doubles every round
     * (qbft/core/core.go newRoundChangeTimer). Absent: no cap, GoQuorum's default.
     */
    readonly maxRequestTimeoutSeconds?: number;
    /** Transaction size limit in KB (32–128). */
    readonly txnSizeLimit: number;
    /** Contract code size limit in KB (24–128). */
    readonly maxCodeSizeKb: number;
}

/** A genesis document: plain JSON, keys in the order GoQuorum's examples use. */
export type Genesis = Record<string, unknown>;

function bftConfig(spec: GenesisSpec): Record<string, unknown> {
    return {
        epochlength: spec.epochLength,
        blockperiodseconds: spec.blockPeriodSeconds,
        requesttimeoutseconds: spec.requestTimeoutSeconds,
        policy: 0,
        ceil2Nby3Block: 0,
    };
}

function consensusConfig(spec: GenesisSpec): Record<string, unknown> {
    switch (spec.consensus) {
        case "qbft":
            // Read from the qbft object (eth/ethconfig/config.go, only when > 0); written only
            // when set, so a network founded without it keeps the genesis it always had.
            return {
                qbft: {
                    ...bftConfig(spec),
                    ...(spec.maxRequestTimeoutSeconds !== undefined ? { maxRequestTimeoutSeconds: spec.maxRequestTimeoutSeconds } : {}),
                },
            };
        case "ibft":
            return { ibft: bftConfig(spec) };
        case "clique":
            return { clique: { period: spec.blockPeriodSeconds, epoch: spec.epochLength } };
        case "raft":
            return {};
    }
}

function header(spec: GenesisSpec): { difficulty: string; mixHash: string; extraData: string } {
    switch (spec.consensus) {
        case "qbft":
            return { difficulty: "0x1", mixHash: ISTANBUL_MIX_HASH, extraData: encodeQbftExtraData(spec.validators) };
        case "ibft":
            return { difficulty: "0x1", mixHash: ISTANBUL_MIX_HASH, extraData: encodeIbftExtraData(spec.validators) };
        case "clique": {
            const signers = spec.cliqueSigners.map((a) => getAddress(a)).sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()));
            return { difficulty: "0x1", mixHash: ZERO_HASH, extraData: encodeCliqueExtraData(signers) };
        }
        case "raft":
            return { difficulty: "0x0", mixHash: RAFT_MIX_HASH, extraData: encodeRaftExtraData() };
    }
}

/** Builds the genesis document for a spec. Pure and deterministic. */
export function buildGenesis(spec: GenesisSpec): Genesis {
    const alloc: Record<string, { balance: string }> = {};
    for (const a of spec.alloc) alloc[getAddress(a.address).toLowerCase()] = { balance: a.balance };
    const h = header(spec);
    return {
        config: {
            chainId: spec.chainId,
            homesteadBlock: 0,
            eip150Block: 0,
            eip150Hash: ZERO_HASH,
            eip155Block: 0,
            eip158Block: 0,
            byzantiumBlock: 0,
            constantinopleBlock: 0,
            petersburgBlock: 0,
            istanbulBlock: 0,
            isQuorum: true,
            txnSizeLimit: spec.txnSizeLimit,
            ...consensusConfig(spec),
            // GoQuorum 24.4.1 warns that maxCodeSizeConfig is deprecated in favour of this
            // transition (params/config.go GetMaxCodeSize); both give the same limit, and the
            // genesis block hash does not depend on either.
            transitions: [{ block: 0, contractsizelimit: spec.maxCodeSizeKb }],
        },
        nonce: "0x0",
        timestamp: "0x0",
        extraData: h.extraData,
        gasLimit: spec.gasLimit,
        difficulty: h.difficulty,
        mixHash: h.mixHash,
        coinbase: ZERO_ADDRESS,
        alloc,
        number: "0x0",
        gasUsed: "0x0",
        parentHash: ZERO_HASH,
    };
}

/** Hash identifying a genesis across organizations: keccak256 of its canonical JSON. */
export function computeGenesisHash(genesis: Genesis): string {
    return canonicalHash(genesis);
}
