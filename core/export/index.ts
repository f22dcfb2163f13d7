/** The `externalNodes` export format shared between partner stacks. No Pulumi. */
export * from "./external-nodes";
export * from "./partner-drift";
