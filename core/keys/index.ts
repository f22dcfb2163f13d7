/** Key material: secp256k1 node and account keys, enode URLs, Tessera keys, geth keystores. No Pulumi. */
export * from "./secp256k1-key";
export * from "./enode";
export * from "./tessera-key";
export * from "./keystore";
export * from "./node-key-material";
