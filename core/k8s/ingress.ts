/**
 * Optional Ingress (networking.k8s.io/v1) for JSON-RPC: one host per node, `<node>.<host>`,
 * routed to the ClusterIP Service's HTTP port, which serves only `rpcApis` (never admin or
 * personal).
 */
import type * as k8s from "@pulumi/kubernetes";
import type { NetworkConfig } from "../config/schema";
import { PORTS } from "../node/layout";
import { names } from "./labels";

export function buildIngressSpec(config: NetworkConfig): k8s.types.input.networking.v1.IngressSpec {
    const host = config.ingress.host as string;
    const hosts = config.nodes.map((n) => `${n.name}.${host}`);
    return {
        ...(config.ingress.className ? { ingressClassName: config.ingress.className } : {}),
        rules: config.nodes.map((n, i) => ({
            host: hosts[i],
            http: {
                paths: [
                    {
                        path: "/",
                        pathType: "Prefix",
                        backend: { service: { name: names.service(n.name), port: { number: PORTS.http } } },
                    },
                ],
            },
        })),
        ...(config.ingress.tlsSecretName ? { tls: [{ hosts, secretName: config.ingress.tlsSecretName }] } : {}),
    };
}
