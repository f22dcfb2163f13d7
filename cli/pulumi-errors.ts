/**
 * What a failed Pulumi CLI run says went wrong. Its output ends with a resource summary
 * ("Resources: 1 errored"), and the reason is in the diagnostics above it: each `error:` line and
 * the lines continuing it (a program's exception, one problem a line), without stack traces.
 */
const ERROR = /^\s*error: /;
const TRACE = /^\s+at /;

/** The diagnostics' error lines of `output`, trimmed, in order; empty when there are none. */
export function pulumiErrors(output: string): string[] {
    const lines = output.split("\n");
    const found: string[] = [];
    for (let i = 0; i < lines.length; i++) {
        if (!ERROR.test(lines[i])) continue;
        const indent = lines[i].search(/\S/);
        found.push(lines[i].trim());
        for (let j = i + 1; j < lines.length && j <= i + 8; j++) {
            const line = lines[j];
            if (line.trim() === "" || TRACE.test(line) || ERROR.test(line) || line.search(/\S/) < indent) break;
            found.push(line.trim());
        }
    }
    return found;
}
