/**
 * Reads the `qstack:` namespace of the stack config for {@link resolveConfig}: every key (so
 * typos are reported, not ignored), JSON values parsed, and which keys Pulumi holds as secrets.
 */
import * as pulumi from "@pulumi/pulumi";
import { resolveConfig, type RawConfig } from "../core/config/resolve-config";
import type { NetworkConfig } from "../core/config/schema";

const NAMESPACE = "qstack:";

// Not in the SDK's typings, but exported by runtime/config since 3.x: tells whether a config
// key was set with --secret, which imported keys must be.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { isConfigSecret } = require("@pulumi/pulumi/runtime/config") as { isConfigSecret(key: string): boolean };

function parseValue(text: string): unknown {
    try {
        return JSON.parse(text);
    } catch {
        return text;
    }
}

/** The raw `qstack:` config and the set of its secret keys. */
export function readRawConfig(): { raw: RawConfig; secretKeys: Set<string> } {
    const raw: Record<string, unknown> = {};
    const secretKeys = new Set<string>();
    for (const [fullKey, value] of Object.entries(pulumi.runtime.allConfig())) {
        if (!fullKey.startsWith(NAMESPACE)) continue;
        const key = fullKey.slice(NAMESPACE.length);
        raw[key] = parseValue(value);
        if (isConfigSecret(fullKey)) secretKeys.add(key);
    }
    return { raw, secretKeys };
}

/** Validated config of this stack. @throws QstackError INVALID_CONFIG */
export function readStackConfig(): NetworkConfig {
    const { raw, secretKeys } = readRawConfig();
    return resolveConfig(raw, { secretKeys });
}
