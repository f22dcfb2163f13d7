/**
 * The network's files as Qubernetes' out/ directory had them, taken from the ConfigMaps the
 * program declares (so they are exactly what the nodes mount): genesis.json, static-nodes.json,
 * permissioned-nodes.json, each node's Tessera config, and the externalNodes document partners
 * consume.
 */
import { QstackError } from "../errors";
import type { ExternalNodesDocument } from "../export/external-nodes";
import { names } from "../k8s/labels";
import { CONFIG_FILES } from "../node/layout";
import type { DeclaredObject, RenderedFile } from "./manifests";

/** A node as far as its files depend on it. */
export interface RenderedNode {
    readonly name: string;
    readonly tessera: boolean;
}

function configMapData(objects: readonly DeclaredObject[]): Map<string, Record<string, string>> {
    const maps = new Map<string, Record<string, string>>();
    for (const { object } of objects) {
        if (object.kind === "ConfigMap" && object.apiVersion === "v1") maps.set(object.metadata.name, (object.data ?? {}) as Record<string, string>);
    }
    return maps;
}

/** The one ConfigMap file named `file`: shared files exist once per organization. */
function sharedFile(maps: Map<string, Record<string, string>>, file: string): string {
    const holders = [...maps.entries()].filter(([, data]) => file in data);
    if (holders.length !== 1) {
        throw new QstackError("INVALID_CONFIG", [{ key: file, reason: `found in ${holders.length} ConfigMaps`, allowed: "exactly one ConfigMap of the organization holding it" }]);
    }
    return holders[0][1][file];
}

const withNewline = (text: string) => (text.endsWith("\n") ? text : `${text}\n`);

/** `network/` files and `externalNodes.json` (when the organization exports one), sorted by path. */
export function renderNetworkFiles(objects: readonly DeclaredObject[], nodes: readonly RenderedNode[], externalNodes: ExternalNodesDocument | undefined): RenderedFile[] {
    const maps = configMapData(objects);
    const files: RenderedFile[] = [CONFIG_FILES.genesis, CONFIG_FILES.staticNodes, CONFIG_FILES.permissionedNodes].map((file) => ({
        path: `network/${file}`,
        content: withNewline(sharedFile(maps, file)),
        secret: false,
    }));
    for (const node of nodes.filter((n) => n.tessera)) {
        const config = maps.get(names.tesseraConfigMap(node.name))?.[CONFIG_FILES.tesseraConfig];
        if (config === undefined) {
            throw new QstackError("INVALID_CONFIG", [{ key: node.name, reason: "runs Tessera but no Tessera ConfigMap was declared", allowed: `a ConfigMap ${names.tesseraConfigMap(node.name)}` }]);
        }
        files.push({ path: `network/tessera/${node.name}.json`, content: withNewline(config), secret: false });
    }
    if (externalNodes !== undefined) files.push({ path: "externalNodes.json", content: `${JSON.stringify(externalNodes, null, 2)}\n`, secret: false });
    return files.sort((a, b) => (a.path < b.path ? -1 : 1));
}
