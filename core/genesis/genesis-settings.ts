/**
 * The settings a genesis fixes, read back from a genesis document. A founder's genesis is
 * frozen at its first deployment (nodes have initialized from it; a node added later must join
 * the same chain), so a later change of these settings in config has no effect on the running
 * network: comparing what the config would write now with what was deployed tells the operator
 * so, instead of letting the change vanish silently.
 *
 * Reads both forms qstack has written: the current one (code size as the block-0
 * `contractsizelimit` transition) and the one before it (`maxCodeSizeConfig`), so networks
 * founded with either compare cleanly.
 */
import type { Genesis } from "./genesis";

/** Config keys (the `qstack:` names) of the settings that live only in the genesis. */
export const GENESIS_ONLY_SETTINGS = [
    "blockPeriodSeconds",
    "epochLength",
    "requestTimeoutSeconds",
    "maxRequestTimeoutSeconds",
    "gasLimit",
    "txnSizeLimit",
    "maxCodeSizeKb",
] as const;
export type GenesisOnlySetting = (typeof GENESIS_ONLY_SETTINGS)[number];

/** A setting's value as the genesis holds it; undefined when the genesis does not set it. */
export type GenesisSettings = Readonly<Record<GenesisOnlySetting, number | string | undefined>>;

export interface GenesisSettingDifference {
    readonly setting: GenesisOnlySetting;
    /** What the current config would write. */
    readonly configured: number | string | undefined;
    /** What the deployed genesis holds. */
    readonly deployed: number | string | undefined;
}

type Json = Record<string, unknown>;

const objectAt = (value: unknown): Json | undefined => (typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Json) : undefined);
const numberAt = (value: unknown): number | undefined => (typeof value === "number" ? value : undefined);

/** The block-0 code size limit, from the transition or the legacy `maxCodeSizeConfig`. */
function maxCodeSizeKb(config: Json): number | undefined {
    const transitions = Array.isArray(config.transitions) ? config.transitions.map(objectAt) : [];
    const fromTransition = transitions.find((t) => t?.block === 0 && numberAt(t.contractsizelimit) !== undefined);
    if (fromTransition) return numberAt(fromTransition.contractsizelimit);
    const legacy = Array.isArray(config.maxCodeSizeConfig) ? config.maxCodeSizeConfig.map(objectAt) : [];
    return numberAt(legacy.find((c) => c?.block === 0)?.size);
}

/** Reads the genesis-only settings of a GoQuorum genesis (qbft, ibft, clique or raft). */
export function readGenesisSettings(genesis: Genesis): GenesisSettings {
    const config = objectAt(genesis.config) ?? {};
    const bft = objectAt(config.qbft) ?? objectAt(config.ibft);
    const clique = objectAt(config.clique);
    const gasLimit = typeof genesis.gasLimit === "string" && /^0x[0-9a-fA-F]+$/.test(genesis.gasLimit) ? `0x${BigInt(genesis.gasLimit).toString(16)}` : undefined;
    return {
        blockPeriodSeconds: numberAt(bft?.blockperiodseconds ?? clique?.period),
        epochLength: numberAt(bft?.epochlength ?? clique?.epoch),
        requestTimeoutSeconds: numberAt(bft?.requesttimeoutseconds),
        maxRequestTimeoutSeconds: numberAt(objectAt(config.qbft)?.maxRequestTimeoutSeconds),
        gasLimit,
        txnSizeLimit: numberAt(config.txnSizeLimit),
        maxCodeSizeKb: maxCodeSizeKb(config),
    };
}

/** The genesis-only settings in which `configured` (what config writes now) differs from `deployed`. */
export function genesisSettingDifferences(deployed: Genesis, configured: Genesis): GenesisSettingDifference[] {
    const was = readGenesisSettings(deployed);
    const now = readGenesisSettings(configured);
    return GENESIS_ONLY_SETTINGS.filter((s) => was[s] !== now[s]).map((setting) => ({ setting, configured: now[setting], deployed: was[setting] }));
}

/**
 * The operator's explanation of differences, with each setting named as the user sets it
 * (`keyOf`: e.g. `qstack:blockPeriodSeconds`).
 */
export function describeGenesisSettingDifferences(differences: readonly GenesisSettingDifference[], keyOf: (setting: GenesisOnlySetting) => string): string {
    const shown = (v: number | string | undefined) => (v === undefined ? "not set" : String(v));
    const each = differences.map((d) => `${keyOf(d.setting)} is ${shown(d.configured)} in config but ${shown(d.deployed)} in the genesis`);
    return (
        `the network's genesis was fixed at its first deployment, so ${differences.length === 1 ? "this setting has" : "these settings have"} no effect: ${each.join("; ")}. ` +
        "A running network changes them only through a GoQuorum genesis transition, which qstack does not automate; set the deployed values again to silence this"
    );
}
