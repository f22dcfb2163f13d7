/**
 * qstack: one organization's GoQuorum + Tessera nodes, deployed to its own Kubernetes cluster.
 * Reads the `qstack:` stack config, builds the organization, exports what partners need.
 */
import * as pulumi from "@pulumi/pulumi";
import { discoverNodeIp } from "./components/cluster-node-ip";
import { QuorumOrganization } from "./components/organization";
import { orRunError, toRunError } from "./components/run-error";
import { readStackConfig } from "./components/stack-config";

const config = orRunError(readStackConfig);
const kubernetes = new pulumi.Config("kubernetes");

const address: pulumi.Input<string> =
    config.nodeIp ??
    discoverNodeIp({ kubeconfig: kubernetes.get("kubeconfig"), context: kubernetes.get("context"), env: process.env.KUBECONFIG }).catch(toRunError);

const org = new QuorumOrganization(config.org, { config, nodeIp: address });

/** What partner stacks consume: versioned, public data only. */
export const externalNodes = org.externalNodes;
export const nodeIp = pulumi.output(address);
export const genesis = org.genesis;
export const genesisHash = org.genesisHash;
export const chainId = config.chainId;
export const consensus = config.consensus;
export const namespace = org.namespace;
