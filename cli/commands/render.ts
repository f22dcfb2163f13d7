/**
 * `qctl render`: what `pulumi up` would deploy for a stack, as files, without an engine run or a
 * cluster: the Kubernetes manifests (one file per object), the network's files and the
 * externalNodes document, for GitOps tools and review. Secrets are left out unless asked for.
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parse } from "yaml";
import { QstackError } from "../../core/errors";
import { renderManifests, type RenderedFile } from "../../core/render/manifests";
import { renderNetworkFiles } from "../../core/render/network-files";
import { parseArgs, requireFlag } from "../args";
import type { Command } from "../command";
import { renderProgram } from "../render/render-program";
import { readStackOutputs, readStackState } from "../render/stack-state";
import { checkOutputDirectory, writeRender } from "../render/write-render";

/** The render's own index: what was written, and which Secrets the operator must provide. */
export const RENDER_INDEX = "render.json";

export const render: Command = {
    name: "render",
    summary: "write the manifests and network files pulumi up would deploy (GitOps), without a cluster",
    usage: "qctl render -s STACK -o DIR [--include-secrets] [--force] [--cwd DIR]",
    help: [
        "Runs the stack's program without an engine or a cluster, fed the stack's config and its",
        "last deployment (key seeds, allocated NodePorts) and partner stacks' outputs, and writes:",
        "  manifests/<namespace>/<kind>-<name>.yaml   one Kubernetes object per file",
        "  network/genesis.json, static-nodes.json, permissioned-nodes.json, tessera/<node>.json",
        "  externalNodes.json                         what partners consume",
        `  ${RENDER_INDEX}                                what was written; the Secrets to provide and their keys`,
        "Secrets (node keys) are not written: the manifests refer to them by name. With",
        "--include-secrets they are, owner-only (0600 files, 0700 directories).",
        "The stack must set qstack:nodeIp (render does not ask the cluster) and have been deployed",
        "once with its nodes, so the keys are the ones the network knows. A DIR that holds",
        "anything is refused unless --force, which replaces its content.",
    ],
    async run(argv, io) {
        const args = parseArgs(argv, { values: ["stack", "output", "cwd"], booleans: ["include-secrets", "force"] });
        const stack = requireFlag(args, "stack", "-s STACK");
        const out = resolve(requireFlag(args, "output", "-o DIR"));
        const cwd = resolve(String(args.flags.get("cwd") ?? "."));
        const includeSecrets = args.flags.get("include-secrets") === true;
        const force = args.flags.get("force") === true;
        checkOutputDirectory(out, { force });

        const state = await readStackState(stack, cwd);
        if (state.config["qstack:nodeIp"] === undefined) {
            throw new QstackError("INVALID_CONFIG", [
                { key: "qstack:nodeIp", reason: "not set, and render does not ask the cluster for its node IP", allowed: "the address partners dial (pulumi config set qstack:nodeIp ADDRESS)" },
            ]);
        }
        const project = String((parse(readFileSync(join(cwd, "Pulumi.yaml"), "utf8")) as { name?: string }).name);
        const program = await renderProgram({ project, stack, projectDir: cwd, state, partnerOutputs: (s) => readStackOutputs(s, cwd) });

        const { files: manifests, omittedSecrets } = renderManifests(program.objects, includeSecrets);
        const network = renderNetworkFiles(program.objects, program.config.nodes, program.externalNodes);
        const files: RenderedFile[] = [...manifests, ...network];
        const index = {
            stack,
            org: program.config.org,
            namespace: program.config.namespace,
            files: files.map((f) => f.path),
            secrets: includeSecrets ? "included" : { omitted: omittedSecrets, note: "provide each Secret under this name and namespace, with these keys, before the manifests" },
            externalNodes: program.externalNodes !== undefined ? "externalNodes.json" : { omitted: "NodePorts not known: pin qstack:nodes[].nodePorts, or deploy once so the cluster allocates them" },
            pendingPartners: program.pendingPartners,
        };
        files.push({ path: RENDER_INDEX, content: `${JSON.stringify(index, null, 2)}\n`, secret: false });
        if (includeSecrets) io.err("qctl render: warning: writing private keys (Secret manifests) to disk; keep the directory out of version control");
        writeRender(out, files, { force });
        io.err(`qctl render: wrote ${files.length} files of ${program.config.org} to ${out}${includeSecrets ? "" : ` (${omittedSecrets.length} Secrets left out, listed in ${RENDER_INDEX})`}`);
    },
};
