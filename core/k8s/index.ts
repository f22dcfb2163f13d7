/**
 * Plain Kubernetes object specs for an organization. Type-only Pulumi imports. Shared pieces
 * (labels, security context, policies) here; a node's own objects in nodes/, the add-ons
 * (monitoring, explorer, acceptance test) in addons/.
 */
export * from "./labels";
export * from "./container-security";
export * from "./nodes/node-pod";
export * from "./nodes/node-services";
export * from "./network-policy";
export * from "./ingress";
export * from "./nodes/disruption-budget";
export * from "./addons/service-monitor";
export * from "./config-checksum";
export * from "./addons/addon-workload";
export * from "./addons/prometheus";
export * from "./addons/grafana";
export * from "./addons/grafana-dashboard";
export * from "./addons/explorer";
export * from "./addons/acceptance-job";
