/**
 * Pulumi prints a stack trace for ordinary exceptions but only the message for a RunError.
 * A user's config mistake deserves the message alone.
 */
import * as pulumi from "@pulumi/pulumi";
import { QstackError } from "../core/errors";

/**
 * Re-throws a QstackError as a RunError (the QstackError as its `cause`, for callers that run
 * the program themselves, like qctl render); other errors (bugs) keep their stack trace.
 */
export function toRunError(e: unknown): never {
    if (e instanceof QstackError) throw Object.assign(new pulumi.RunError(e.message), { cause: e });
    throw e;
}

/** Runs `fn`, turning a QstackError into a RunError. */
export function orRunError<T>(fn: () => T): T {
    try {
        return fn();
    } catch (e) {
        return toRunError(e);
    }
}
