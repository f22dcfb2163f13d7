/**
 * Where an organization's settings were written, so that every error names the exact place to
 * fix: `qstack:nodes[1].name` for a stack's config (Pulumi.<stack>.yaml), `args.nodes[1].name`
 * for a program that builds a `QuorumOrganization` from its own arguments. The checks and their
 * reasons are the same for both; only the name of the setting differs.
 */
export type SettingsSource = "stack-config" | "component-args";

/** The user-facing name of the setting at `path` (e.g. `nodes[1].name`). */
export function settingKey(source: SettingsSource, path: string): string {
    return source === "stack-config" ? `qstack:${path}` : `args.${path}`;
}
