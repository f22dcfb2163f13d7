/** What runs in a node's pod: paths, ports, geth command line, Tessera config, and the scripts run there (reconciler, status, acceptance test). No Pulumi. */
export * from "./layout";
export * from "./geth-args";
export * from "./tessera-config";
export * from "./reconciler";
export * from "./node-status";
export * from "./acceptance";
export * from "./acceptance-contract";
