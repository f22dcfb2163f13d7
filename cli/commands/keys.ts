/** `qctl keys …`: the derivations GoQuorum's bootnode/istanbul tools and `tessera -keygen` do. */
import { computeKeyIdentity, getPrivateKeyHex } from "../../core/keys/secp256k1-key";
import { computeTesseraPublicKey, parseTesseraPrivateKey } from "../../core/keys/tessera-key";
import { parseArgs, requireFlag } from "../args";
import type { Command } from "../command";

export const keysDerive: Command = {
    name: "keys derive",
    summary: "enode ID and validator address of a nodekey",
    usage: "qctl keys derive --nodekey HEX",
    help: [
        "Prints {\"enodeId\":\"<128 hex>\",\"address\":\"0x<EIP-55>\"} for a GoQuorum nodekey,",
        "as `bootnode -nodekeyhex HEX -writeaddress` and `istanbul address` do.",
        "  --nodekey HEX   64 hex characters, optional 0x (the contents of a nodekey file)",
    ],
    run(argv, io) {
        const args = parseArgs(argv, { values: ["nodekey"] });
        const key = getPrivateKeyHex(requireFlag(args, "nodekey", "64 hex characters"), "--nodekey");
        const { enodeId, address } = computeKeyIdentity(key);
        io.out(JSON.stringify({ enodeId, address }));
    },
};

export const keysTesseraPublic: Command = {
    name: "keys tessera-public",
    summary: "Tessera public key of a private key",
    usage: "qctl keys tessera-public --private BASE64",
    help: [
        "Prints the base64 public key (the .pub file) of a Tessera NaCl private key.",
        "  --private BASE64   the private key, or the JSON of an unlocked .key file",
    ],
    run(argv, io) {
        const args = parseArgs(argv, { values: ["private"] });
        const privateKey = parseTesseraPrivateKey(requireFlag(args, "private", "base64 of 32 bytes"), "--private");
        io.out(computeTesseraPublicKey(privateKey, "--private"));
    },
};
