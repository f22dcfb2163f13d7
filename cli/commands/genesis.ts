/** `qctl genesis …`: genesis fields, as istanbul-tools' `extra encode` computes them. */
import { encodeCliqueExtraData, encodeIbftExtraData, encodeQbftExtraData } from "../../core/genesis/extra-data";
import { parseArgs, requireFlag, usageError } from "../args";
import type { Command } from "../command";

const ENCODERS = { qbft: encodeQbftExtraData, ibft: encodeIbftExtraData, clique: encodeCliqueExtraData } as const;

export const genesisExtraData: Command = {
    name: "genesis extradata",
    summary: "genesis extraData for a validator set",
    usage: "qctl genesis extradata --consensus qbft|ibft|clique --validators 0xADDR,0xADDR,...",
    help: [
        "Prints the 0x-hex genesis extraData. Validators are encoded in the order given.",
        "  --consensus   qbft, ibft or clique",
        "  --validators  comma-separated addresses (BFT: nodekey addresses; clique: signer accounts)",
    ],
    run(argv, io) {
        const args = parseArgs(argv, { values: ["consensus", "validators"] });
        const consensus = requireFlag(args, "consensus", Object.keys(ENCODERS).join(", "));
        if (!(consensus in ENCODERS)) throw usageError("--consensus", "unknown consensus", consensus, Object.keys(ENCODERS).join(", "));
        const validators = requireFlag(args, "validators", "comma-separated 0x addresses").split(",").map((v) => v.trim()).filter(Boolean);
        io.out(ENCODERS[consensus as keyof typeof ENCODERS](validators));
    },
};
