/** Genesis documents and extraData encoders for qbft, ibft, raft and clique. No Pulumi. */
export * from "./extra-data";
export * from "./canonical-json";
export * from "./genesis";
