/**
 * Which stacks the program's backend holds, by `pulumi stack ls --all --json` (a read; the CLI is
 * on PATH whenever a program runs): this project's stacks by their short name, other projects'
 * fully qualified. Listed once per program and directory, without blocking: the CLI's start-up
 * (about 0.2 s) overlaps the node-IP lookup.
 */
import { execFile } from "node:child_process";
import { resolve } from "node:path";

const listings = new Map<string, Promise<Set<string> | undefined>>();

/** The backend's stack names; undefined when the CLI cannot list them. */
export function backendStacks(cwd = process.cwd()): Promise<Set<string> | undefined> {
    const dir = resolve(cwd);
    let listing = listings.get(dir);
    if (listing === undefined) {
        listing = new Promise((done) => {
            // --all: a partner is often another project's stack (a program using the library beside qstack's own).
            execFile("pulumi", ["stack", "ls", "--all", "--json"], { cwd: dir, encoding: "utf8", timeout: 30000 }, (error, out) => {
                if (error) return done(undefined);
                try {
                    done(new Set((JSON.parse(out) as { name: string }[]).map((s) => s.name)));
                } catch {
                    done(undefined);
                }
            });
        });
        listings.set(dir, listing);
    }
    return listing;
}
