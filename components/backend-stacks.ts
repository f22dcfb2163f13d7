/**
 * Which stacks the program's backend holds, by `pulumi stack ls --all --json` (a read; the CLI is
 * on PATH whenever a program runs): this project's stacks by their short name, other projects'
 * fully qualified. Asynchronous, so the CLI's start-up (about 0.2 s) overlaps the node-IP lookup.
 */
import { execFile } from "node:child_process";

/** The backend's stack names, as seen from `cwd`; undefined when the CLI cannot list them. */
export function listBackendStacks(cwd: string): Promise<Set<string> | undefined> {
    return new Promise((done) => {
        // --all: a partner is often another project's stack (a program using the library beside qstack's own).
        execFile("pulumi", ["stack", "ls", "--all", "--json"], { cwd, encoding: "utf8", timeout: 30000 }, (error, out) => {
            if (error) return done(undefined);
            try {
                done(new Set((JSON.parse(out) as { name: string }[]).map((s) => s.name)));
            } catch {
                done(undefined);
            }
        });
    });
}
