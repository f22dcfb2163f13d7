/** Peer lists (static-nodes, permissioned-nodes, Tessera peers). No Pulumi. */
export * from "./peer-lists";
