/**
 * Canonical JSON: object keys sorted recursively, no insignificant whitespace. Two documents
 * with the same content have the same canonical text, whatever order they were built in, so
 * hashes over it can be compared across organizations.
 */
import { keccak256, toUtf8Bytes } from "ethers";

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function sortKeys(value: Json): Json {
    if (Array.isArray(value)) return value.map(sortKeys);
    if (value !== null && typeof value === "object") {
        const out: { [key: string]: Json } = {};
        for (const k of Object.keys(value).sort()) out[k] = sortKeys(value[k]);
        return out;
    }
    return value;
}

/** `value` as JSON data (undefined fields dropped) with object keys sorted at every level. */
export function sortedJson(value: unknown): Json {
    return sortKeys(JSON.parse(JSON.stringify(value)) as Json);
}

/** Serializes `value` canonically. */
export function canonicalJson(value: unknown): string {
    return JSON.stringify(sortedJson(value));
}

/** keccak256 over the canonical JSON text (0x-prefixed hex). */
export function canonicalHash(value: unknown): string {
    return keccak256(toUtf8Bytes(canonicalJson(value)));
}
