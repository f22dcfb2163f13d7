/** Plain Kubernetes object specs for a node and an organization. Type-only Pulumi imports. */
export * from "./labels";
export * from "./container-security";
export * from "./node-pod";
export * from "./node-services";
export * from "./network-policy";
export * from "./ingress";
export * from "./disruption-budget";
export * from "./service-monitor";
export * from "./config-checksum";
export * from "./addon-workload";
export * from "./prometheus";
export * from "./grafana";
export * from "./grafana-dashboard";
export * from "./explorer";
export * from "./acceptance-job";
