/**
 * A node's key material as Pulumi state.
 *
 * Three `random.RandomPassword`s (64 alphanumerics each: nodekey, account, Tessera) are the only
 * source of randomness; they are created once and then live in state as secrets, so every later
 * run derives byte-identical keys from them (a 32-byte seed each, see `seedFromSecret` for why not
 * `RandomBytes`). Imported keys, when given, take precedence.
 */
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import {
    deriveNodeKeyMaterial,
    publicIdentity,
    seedFromSecret,
    type ImportedNodeKeys,
    type NodeIdentity,
    type NodeSecrets,
} from "../core/keys/node-key-material";

export interface NodeKeysArgs {
    /**
     * Existing keys to keep (secret), e.g. migrated from a Qubernetes key directory.
     * @default - all keys generated from the random seeds
     */
    readonly imported?: pulumi.Input<ImportedNodeKeys>;
    /** Config path named in errors about imported keys. @default "importedKeys" */
    readonly configPath?: string;
}

export class NodeKeys extends pulumi.ComponentResource {
    /** Public identity: enode ID, validator and account addresses, Tessera public key. */
    public readonly identity: pulumi.Output<NodeIdentity>;
    /** Private keys and keystore; a Pulumi secret. */
    public readonly secrets: pulumi.Output<NodeSecrets>;

    constructor(name: string, args: NodeKeysArgs, opts?: pulumi.ComponentResourceOptions) {
        super("qstack:index:NodeKeys", name, {}, opts);
        const seed = (purpose: string) =>
            new random.RandomPassword(`${name}-${purpose}`, { length: 64, special: false }, { parent: this }).result.apply(seedFromSecret);
        const nodeKey = seed("nodekey");
        const account = seed("account");
        const tessera = seed("tessera");

        const material = pulumi
            .all([nodeKey, account, tessera, args.imported ?? {}])
            .apply(([n, a, t, imported]) =>
                deriveNodeKeyMaterial({ nodeKey: n, account: a, tessera: t }, imported, args.configPath ?? "importedKeys"),
            );

        this.secrets = pulumi.secret(
            material.apply((m): NodeSecrets => ({
                nodeKey: m.nodeKey,
                accountKeystore: m.accountKeystore,
                accountPassword: m.accountPassword,
                tesseraPrivateKey: m.tesseraPrivateKey,
            })),
        );
        // Public halves are derived from secrets, so Pulumi would keep them secret; they are
        // safe to reveal and partners need them in plain form.
        this.identity = pulumi.unsecret(material.apply(publicIdentity));
        this.registerOutputs({ identity: this.identity });
    }
}
