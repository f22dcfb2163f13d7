/**
 * A Prometheus Operator ServiceMonitor (monitoring.coreos.com/v1) scraping every node's geth
 * metrics through its ClusterIP Service. Optional: the CRD exists only where the operator runs;
 * without it the pods' prometheus.io/* annotations serve annotation-based scrapers.
 */
import { PART_OF } from "../labels";

export const METRICS_PATH = "/debug/metrics/prometheus";

export function buildServiceMonitor(org: string, namespace: string): { apiVersion: string; kind: string; spec: Record<string, unknown> } {
    return {
        apiVersion: "monitoring.coreos.com/v1",
        kind: "ServiceMonitor",
        spec: {
            namespaceSelector: { matchNames: [namespace] },
            selector: { matchLabels: { "app.kubernetes.io/part-of": PART_OF, "qstack.io/org": org } },
            endpoints: [{ port: "metrics", path: METRICS_PATH, interval: "15s" }],
        },
    };
}
