/**
 * Reads partner organizations' `externalNodes`: from partner stacks through StackReference
 * (same backend) and from export files (`qctl external-nodes export`, any backend), validated
 * before a single resource of this stack is declared.
 *
 * Bootstrap order: a StackReference to a stack that does not exist fails the whole program, and
 * no try/catch can recover from it. So a partner stack is only referenced once it exists and
 * has exported `externalNodes`; until then it is reported as pending, and this stack deploys
 * without it. `qctl network up` then runs founder → joiners → founder until every preview is
 * empty; by hand, the same order works.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type { NetworkConfig } from "../core/config/schema";
import { settingKey } from "../core/config/settings-source";
import { QstackError } from "../core/errors";
import { parseExternalNodesDocument } from "../core/export/external-nodes";
import { buildConsortium, type Consortium, type PartnerSource } from "../core/peers/consortium";
import { listBackendStacks } from "./backend-stacks";

/** Where partner data comes from; injectable so tests need no backend or files. */
export interface PartnerIo {
    /** Whether a partner stack exists in the backend (undefined: cannot tell, assume it does). */
    stackExists(stack: string): boolean | undefined | Promise<boolean | undefined>;
    /** The partner's raw `externalNodes` output, or undefined if it has none yet. */
    readStackOutput(stack: string): Promise<unknown>;
    readFile(path: string): string;
}

export interface LoadedPartners extends Consortium {
    /** Partner stacks not referenced yet (they do not exist or have not exported). */
    readonly pending: readonly string[];
}

/**
 * True when `stack` (short, or `org/project/stack`) names one of `listed`, as
 * `pulumi stack ls --all` writes them: this project's stacks short, other projects' qualified.
 * A short listed name is this project's, so a qualified `stack` matches it only when its project
 * segment is `ownProject`.
 */
export function stackListed(stack: string, listed: ReadonlySet<string>, ownProject: string): boolean {
    const parts = stack.split("/");
    const short = parts[parts.length - 1];
    const project = parts.length === 3 ? parts[1] : ownProject;
    return [...listed].some((l) => {
        if (l === stack) return true;
        const lp = l.split("/");
        // Another project's stack is listed qualified: only its exact name matches it.
        if (lp.length === 3) return false;
        return lp[lp.length - 1] === short && project === ownProject;
    });
}

/** The real sources: the backend through StackReference, files relative to the project. */
export function pulumiPartnerIo(projectDir = process.cwd()): PartnerIo {
    // Listed once, at the first partner asked about; every partner waits on the same listing.
    let listing: Promise<Set<string> | undefined> | undefined;
    return {
        async stackExists(stack) {
            listing ??= listBackendStacks(projectDir);
            const listed = await listing;
            return listed === undefined ? undefined : stackListed(stack, listed, pulumi.getProject());
        },
        async readStackOutput(stack) {
            const ref = new pulumi.StackReference(`partner-${stack}`, { name: stack });
            const details = await ref.getOutputDetails("externalNodes");
            return details.value ?? details.secretValue;
        },
        readFile: (path) => readFileSync(resolve(projectDir, path), "utf8"),
    };
}

/**
 * Loads and validates every configured partner.
 * @throws QstackError INVALID_PARTNER / INVALID_CONFIG naming the partner and the field.
 */
export async function loadPartners(config: NetworkConfig, io: PartnerIo): Promise<LoadedPartners> {
    const sources: PartnerSource[] = [];
    const pending: string[] = [];
    // Every partner stack is checked and read at once (each read waits on the backend), then
    // taken in configured order, so the result does not depend on which read finished first.
    const outputs = await Promise.all(
        config.partners.map(async (stack) => ((await io.stackExists(stack)) === false ? undefined : io.readStackOutput(stack))),
    );
    config.partners.forEach((stack, i) => {
        if (outputs[i] === undefined) pending.push(stack);
        else sources.push({ source: stack, doc: parseExternalNodesDocument(outputs[i], stack) });
    });
    for (const file of config.partnerFiles) {
        let text: string;
        try {
            text = io.readFile(file);
        } catch (e) {
            throw new QstackError("INVALID_PARTNER", [
                { key: `${file}`, reason: `cannot read partner file: ${(e as Error).message}`, allowed: `a file written by qctl external-nodes export (${settingKey(config.settingsSource, "partnerFiles")})` },
            ]);
        }
        let raw: unknown;
        try {
            raw = JSON.parse(text);
        } catch {
            throw new QstackError("INVALID_PARTNER", [{ key: file, reason: "partner file is not JSON", allowed: "a file written by qctl external-nodes export" }]);
        }
        sources.push({ source: file, doc: parseExternalNodesDocument(raw, file) });
    }
    if (config.genesisFrom !== undefined && pending.includes(config.genesisFrom)) {
        throw new QstackError("INVALID_PARTNER", [
            {
                key: settingKey(config.settingsSource, "genesisFrom"),
                reason: "the founder stack has not been deployed yet, so there is no genesis to adopt",
                value: config.genesisFrom,
                allowed: "run pulumi up on the founder first (qctl network up does this order for you)",
            },
        ]);
    }
    const consortium = buildConsortium(
        { org: config.org, chainId: config.chainId, consensus: config.consensus, nodeNames: config.nodes.map((n) => n.name), genesisFrom: config.genesisFrom, settingsSource: config.settingsSource },
        sources,
    );
    return { ...consortium, pending };
}
