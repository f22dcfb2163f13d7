import type { Genesis } from "../../core/genesis/genesis";

/** A genesis as qstack wrote it before issue 18: the code size in the deprecated maxCodeSizeConfig, not the block-0 transition. */
export function legacyGenesisForm(g: Genesis): Genesis {
    const { transitions, ...config } = g.config as Record<string, unknown>;
    const [{ contractsizelimit }] = transitions as { contractsizelimit: number }[];
    return { ...g, config: { ...config, maxCodeSizeConfig: [{ block: 0, size: contractsizelimit }] } };
}
