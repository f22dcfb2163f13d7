/**
 * `qctl render`: what `pulumi up` would deploy for a stack, as files, without an engine run or a
 * cluster: the Kubernetes manifests (one file per object), the network's files and the
 * externalNodes document, for GitOps tools and review. Secrets are left out unless asked for.
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parse } from "yaml";
import { QstackError } from "../../core/errors";
import { renderManifests, unknownNodePorts, type RenderedFile } from "../../core/render/manifests";
import { renderNetworkFiles } from "../../core/render/network-files";
import { parseArgs, requireFlag } from "../args";
import type { Command } from "../command";
import { createMissingSecrets, keyTargets } from "../render/create-keys";
import { missingSecretsError, renderProgram } from "../render/render-program";
import { readStackOutputs, readStackState, type StackState } from "../render/stack-state";
import { checkOutputDirectory, writeRender } from "../render/write-render";

/** The render's own index: what was written, and which Secrets the operator must provide. */
export const RENDER_INDEX = "render.json";

export const render: Command = {
    name: "render",
    summary: "write the manifests and network files pulumi up would deploy (GitOps), without a cluster",
    usage: "qctl render -s STACK -o DIR [--create-keys] [--include-secrets] [--force] [--cwd DIR]",
    help: [
        "Runs the stack's program without an engine or a cluster, fed the stack's config and its",
        "last deployment (key seeds, allocated NodePorts) and partner stacks' outputs, and writes:",
        "  manifests/<namespace>/<kind>-<name>.yaml   one Kubernetes object per file",
        "  network/genesis.json, static-nodes.json, permissioned-nodes.json, tessera/<node>.json",
        "  externalNodes.json                         what partners consume",
        `  ${RENDER_INDEX}                                what was written; the Secrets to provide and their keys`,
        "Secrets (node keys) are not written: the manifests refer to them by name. With",
        "--include-secrets they are, owner-only (0600 files, 0700 directories).",
        "The stack must set qstack:nodeIp (render does not ask the cluster). Its keys come from its",
        "state: a node never deployed is refused, unless --create-keys, which generates the missing",
        "keys as Pulumi secrets in the stack's state (a pulumi up targeting only them; no cluster).",
        "A NodePort neither pinned (qstack:nodes[].nodePorts) nor allocated by a deployment is not",
        "known: such a render has no externalNodes.json. A DIR that holds anything is refused",
        "unless --force, which replaces its content.",
    ],
    async run(argv, io) {
        const args = parseArgs(argv, { values: ["stack", "output", "cwd"], booleans: ["include-secrets", "force", "create-keys"] });
        const stack = requireFlag(args, "stack", "-s STACK");
        const out = resolve(requireFlag(args, "output", "-o DIR"));
        const cwd = resolve(String(args.flags.get("cwd") ?? "."));
        const includeSecrets = args.flags.get("include-secrets") === true;
        const force = args.flags.get("force") === true;
        const createKeys = args.flags.get("create-keys") === true;
        checkOutputDirectory(out, { force });

        let state = await readStackState(stack, cwd);
        if (state.config["qstack:nodeIp"] === undefined) {
            throw new QstackError("INVALID_CONFIG", [
                { key: "qstack:nodeIp", reason: "not set, and render does not ask the cluster for its node IP", allowed: "the address partners dial (pulumi config set qstack:nodeIp ADDRESS)" },
            ]);
        }
        const project = String((parse(readFileSync(join(cwd, "Pulumi.yaml"), "utf8")) as { name?: string }).name);
        const renderOf = (st: StackState) => renderProgram({ project, stack, projectDir: cwd, state: st, partnerOutputs: (s) => readStackOutputs(s, cwd) });
        let program = await renderOf(state);
        if (program.missingSecrets.length > 0 && createKeys) {
            io.err(`qctl render: generating ${program.missingSecrets.length} missing secrets into ${stack}'s state (pulumi up --target, no cluster)`);
            await createMissingSecrets(stack, cwd, keyTargets(program.missingSecrets, state.urns));
            state = await readStackState(stack, cwd);
            program = await renderOf(state);
            if (program.missingSecrets.length > 0) {
                throw new QstackError("STACK_FAILED", [
                    { key: "--create-keys", reason: `the targeted pulumi up stored no ${program.missingSecrets.map((m) => m.name).join(", ")}`, value: stack },
                ]);
            }
        }
        if (program.missingSecrets.length > 0) throw missingSecretsError(stack, program.config.org, program.missingSecrets);

        const { files: manifests, omittedSecrets } = renderManifests(program.objects, includeSecrets);
        const network = renderNetworkFiles(program.objects, program.config.nodes, program.externalNodes);
        const files: RenderedFile[] = [...manifests, ...network];
        const index = {
            stack,
            org: program.config.org,
            namespace: program.config.namespace,
            files: files.map((f) => f.path),
            secrets: includeSecrets ? "included" : { omitted: omittedSecrets, note: "provide each Secret under this name and namespace, with these keys, before the manifests" },
            externalNodes:
                program.externalNodes !== undefined
                    ? "externalNodes.json"
                    : { omitted: "NodePorts not known: pin qstack:nodes[].nodePorts, or deploy once so the cluster allocates them", unknownNodePorts: unknownNodePorts(program.objects) },
            pendingPartners: program.pendingPartners,
        };
        files.push({ path: RENDER_INDEX, content: `${JSON.stringify(index, null, 2)}\n`, secret: false });
        if (includeSecrets) io.err("qctl render: warning: writing private keys (Secret manifests) to disk; keep the directory out of version control");
        writeRender(out, files, { force });
        io.err(`qctl render: wrote ${files.length} files of ${program.config.org} to ${out}${includeSecrets ? "" : ` (${omittedSecrets.length} Secrets left out, listed in ${RENDER_INDEX})`}`);
    },
};
