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
    /** Returns the exit status when it is not 0 without being an error (e.g. a failed check). */
    run(argv: readonly string[], io: Io): void | number | Promise<void | number>;
}
