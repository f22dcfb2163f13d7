/**
 * Reading and changing a `Pulumi.<stack>.yaml` without losing anything: comments, key order
 * and keys qctl does not know survive every edit (Qubernetes' qctl dropped whatever its struct
 * did not model). Every change is validated as the program would validate it, then written to a
 * temporary file and renamed over the original, so a failed command leaves the file untouched.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Document, isMap, parseDocument } from "yaml";
import { resolveConfig, type RawConfig } from "../core/config/resolve-config";
import type { NetworkConfig } from "../core/config/schema";
import { QstackError } from "../core/errors";

const NS = "qstack:";

export function stackFilePath(cwd: string, stack: string): string {
    return join(cwd, `Pulumi.${stack}.yaml`);
}

export function readStackFile(path: string): Document {
    if (!existsSync(path)) return new Document({ config: {} });
    const doc = parseDocument(readFileSync(path, "utf8"));
    if (doc.errors.length > 0) {
        throw new QstackError("INVALID_CONFIG", [{ key: path, reason: `not valid YAML: ${doc.errors[0].message}`, allowed: "a Pulumi stack file" }]);
    }
    if (!doc.has("config")) doc.set("config", doc.createNode({}));
    return doc;
}

function isSecure(value: unknown): boolean {
    if (value === null || typeof value !== "object") return false;
    if ("secure" in (value as object)) return true;
    return Object.values(value as object).some(isSecure);
}

/** The `qstack:` keys as the program would read them; secret (encrypted) values are left out. */
export function qstackConfigOf(doc: Document): { raw: RawConfig; secrets: string[] } {
    const config = (doc.toJS() as { config?: Record<string, unknown> }).config ?? {};
    const raw: Record<string, unknown> = {};
    const secrets: string[] = [];
    for (const [k, v] of Object.entries(config as Record<string, unknown>)) {
        if (!k.startsWith(NS)) continue;
        if (isSecure(v)) secrets.push(k.slice(NS.length));
        else raw[k.slice(NS.length)] = v;
    }
    return { raw, secrets };
}

/**
 * Sets `qstack:<key>` (creating it at the end if new). A dotted key (`monitoring.prometheus`)
 * sets one field of an object key and keeps its other fields and comments.
 */
export function setQstackKey(doc: Document, key: string, value: unknown): void {
    const config = doc.get("config");
    if (!isMap(config)) throw new QstackError("INVALID_CONFIG", [{ key: "config", reason: "stack file's config is not a map", allowed: "config: {...}" }]);
    const [top, ...path] = key.split(".");
    if (path.length === 0) config.set(`${NS}${top}`, doc.createNode(value));
    else if (isMap(config.get(`${NS}${top}`))) doc.setIn(["config", `${NS}${top}`, ...path], value);
    else config.set(`${NS}${top}`, doc.createNode(path.reduceRight<unknown>((inner, k) => ({ [k]: inner }), value)));
}

/** Validates the document's qstack config as `pulumi up` would; throws listing every problem. */
export function validateStackFile(doc: Document): NetworkConfig {
    const { raw, secrets } = qstackConfigOf(doc);
    return resolveConfig(raw, { secretKeys: new Set(secrets) });
}

/** Validates, then writes atomically. */
export function writeStackFile(path: string, doc: Document): NetworkConfig {
    const config = validateStackFile(doc);
    const tmp = `${path}.tmp-${process.pid}`;
    writeFileSync(tmp, doc.toString());
    renameSync(tmp, path);
    return config;
}
