/** What runs in a node's pod: paths, ports, geth command line, Tessera config. No Pulumi. */
export * from "./layout";
export * from "./geth-args";
export * from "./tessera-config";
