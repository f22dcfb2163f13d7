/** Stack configuration: schema, defaults and validation. No Pulumi. */
export * from "./schema";
export * from "./resolve-config";
export * from "./settings-source";
