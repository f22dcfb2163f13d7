/**
 * The one check for every address that partners or pods will dial: a node IP, the host of an
 * enode URL or of a Tessera URL. An address is an IPv4 address (four decimal octets 0-255, no
 * leading zeros, which some resolvers read as octal), an IPv6 address, or a DNS name that can
 * really be one: RFC 1123 labels of 1-63 letters, digits and inner hyphens, at most 253
 * characters, and a top-level label that is not all digits (so "999.1.1.1" and "10.0.0" are not
 * names, and get a reason of their own). Pure; returns the reason instead of throwing, so each
 * caller names its own key in the one error format.
 */
import { isIPv6 } from "node:net";

export const ADDRESS_ALLOWED = "an IPv4 address (a.b.c.d, each 0-255), an IPv6 address, or a DNS name (RFC 1123 labels; the last one not all digits)";
export const DNS_NAME_ALLOWED = "a DNS name (RFC 1123 labels of letters, digits and inner '-'; the last one not all digits)";

const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i;

export type AddressKind = "ipv4" | "ipv6" | "dns";

/** Why `text` is not a dotted-quad IPv4 address, or undefined when it is one. */
function ipv4Problem(text: string): string | undefined {
    const parts = text.split(".");
    if (parts.length !== 4) return `has ${parts.length} dot-separated part${parts.length === 1 ? "" : "s"}; an IPv4 address has 4`;
    for (const p of parts) {
        if (p === "") return "has an empty octet";
        if (p.length > 1 && p.startsWith("0")) return `octet ${p} has a leading zero`;
        if (Number(p) > 255) return `octet ${p} is out of range (0-255)`;
    }
    return undefined;
}

/** Why `name` is not a possible DNS name, or undefined when it is one. */
export function dnsNameProblem(name: string): string | undefined {
    if (name.length > 253) return `is ${name.length} characters long; a DNS name has at most 253`;
    const labels = name.replace(/\.$/, "").split(".");
    for (const label of labels) {
        if (label === "") return "has an empty label";
        if (label.length > 63) return `label ${label.slice(0, 20)}… is ${label.length} characters long; at most 63`;
        if (!LABEL.test(label)) return `label '${label}' is not letters, digits and inner '-'`;
    }
    if (/^[0-9]+$/.test(labels[labels.length - 1])) return "its last label is all digits, so it is neither an IPv4 address nor a DNS name";
    return undefined;
}

/** What kind of address `text` is, or why it is none. */
export function classifyAddress(text: string): { kind: AddressKind } | { problem: string } {
    if (text === "") return { problem: "is empty" };
    if (/^[0-9.]+$/.test(text)) {
        const problem = ipv4Problem(text);
        return problem ? { problem } : { kind: "ipv4" };
    }
    if (text.includes(":")) return isIPv6(text) ? { kind: "ipv6" } : { problem: "is not a valid IPv6 address" };
    const problem = dnsNameProblem(text);
    return problem ? { problem } : { kind: "dns" };
}

/** Why `text` is not an address partners or pods can dial, or undefined when it is one. */
export function addressProblem(text: unknown): string | undefined {
    if (typeof text !== "string") return "is not a string";
    const c = classifyAddress(text);
    return "problem" in c ? c.problem : undefined;
}

/** The host part of a URL or enode URL: IPv6 addresses in brackets. */
export function formatUrlHost(address: string): string {
    return isIPv6(address) ? `[${address}]` : address;
}

/** `[v6]` → `v6`; anything else unchanged. */
export function parseUrlHost(host: string): string {
    return host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
}
