/** The shape every qctl command has; `main.ts` dispatches on `name`. */
export interface Io {
    /** One result on stdout. */
    out(text: string): void;
    /** Diagnostics on stderr. */
    err(text: string): void;
}

export interface Command {
    /** Words that select the command, e.g. "keys derive". */
    readonly name: string;
    readonly summary: string;
    readonly usage: string;
    readonly help: readonly string[];
    run(argv: readonly string[], io: Io): void | Promise<void>;
}
