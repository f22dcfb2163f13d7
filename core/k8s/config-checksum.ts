/**
 * A pod-template annotation carrying the hash of the configuration the pod reads: changing the
 * configuration changes the template, so the Deployment rolls instead of running stale config.
 */
import { createHash } from "node:crypto";

export const CONFIG_CHECKSUM_ANNOTATION = "qstack.io/config-checksum";

/** sha256 (hex) of configuration text. */
export function configChecksum(content: string): string {
    return createHash("sha256").update(content, "utf8").digest("hex");
}

/**
 * Checksum over the data of several ConfigMaps: JSON of the key-sorted data, so that only
 * content, not key order, changes it.
 */
export function configMapsChecksum(...data: Readonly<Record<string, string>>[]): string {
    return configChecksum(JSON.stringify(data.map((files) => Object.keys(files).sort().map((key) => [key, files[key]]))));
}
