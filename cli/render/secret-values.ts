/**
 * Pulumi's secret values in the two shapes render reads: on the wire to the resource monitor
 * (what mocks receive: `{<sig>, value}`) and in a state export with --show-secrets
 * (`{<sig>, plaintext: "<JSON>"}`). Both unwrapped in full, at any depth.
 */

/** The key that marks a value as a Pulumi secret (sdk: runtime/rpc `specialSigKey`'s secret signature). */
export const SECRET_SIG = "4dabf18193072939515e22adb298388d";

function unwrapWith(value: unknown, open: (secret: Record<string, unknown>) => unknown): unknown {
    if (Array.isArray(value)) return value.map((v) => unwrapWith(v, open));
    if (value === null || typeof value !== "object") return value;
    if (SECRET_SIG in value) return unwrapWith(open(value as Record<string, unknown>), open);
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unwrapWith(v, open)]));
}

/** A value as mocks receive it, secrets in the clear. */
export const unwrapWireSecrets = (value: unknown): unknown => unwrapWith(value, (s) => s.value);

/** A value of a `pulumi stack export --show-secrets`, secrets in the clear. */
export const unwrapExportedSecrets = (value: unknown): unknown => unwrapWith(value, (s) => (typeof s.plaintext === "string" ? JSON.parse(s.plaintext) : undefined));
