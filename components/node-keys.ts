/**
 * A node's key material as Pulumi state.
 *
 * One `random.RandomPassword` (64 alphanumerics) is the node's only source of randomness; it is
 * created once and then lives in state as a secret, so every later run derives byte-identical
 * keys from it (three independent 32-byte seeds, see `seedsFromSecret`, also for why not
 * `RandomBytes`). Imported keys, when given, take precedence.
 */
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import {
    deriveNodeKeyMaterial,
    publicIdentity,
    seedsFromSecret,
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
        const seed = new random.RandomPassword(`${name}-seed`, { length: 64, special: false }, { parent: this });
        const material = pulumi
            .all([seed.result, args.imported ?? {}])
            .apply(([secret, imported]) => deriveNodeKeyMaterial(seedsFromSecret(secret), imported, args.configPath ?? "importedKeys"));

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
