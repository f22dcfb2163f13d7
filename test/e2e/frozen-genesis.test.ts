/**
 * The frozen genesis on the real engine: a founder whose config changes a setting that lives only
 * in the genesis, after its first deployment, previews no change (the genesis ConfigMap ignores
 * it) and is told so, with the setting, its configured and its deployed value.
 * On the simulated clusters: only Pulumi's side is under test here.
 */
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { dump, load } from "js-yaml";
import { simulatedLab } from "./lab-helpers";

const { projectDir: PROJECT_DIR } = simulatedLab;

describe("lab: a founder's genesis-only setting changed after its first deployment (real engine)", () => {
    const file = join(PROJECT_DIR, "Pulumi.clusterA.yaml");
    let original: string;
    let preview: { changes: Record<string, number>; stdout: string };

    before(async function () {
        await simulatedLab.converged();
        original = readFileSync(file, "utf8");
        const doc = load(original) as { config: Record<string, unknown> };
        doc.config["qstack:maxRequestTimeoutSeconds"] = 60;
        writeFileSync(file, dump(doc));
        preview = await simulatedLab.preview("clusterA");
    });

    after(() => {
        if (original !== undefined) writeFileSync(file, original);
    });

    it("previews no change: the deployed genesis stays", () => {
        assert.deepEqual(preview.changes, {});
    });

    it("warns that the setting has no effect, naming its configured and deployed value", () => {
        assert.match(preview.stdout, /so this setting has no effect: qstack:maxRequestTimeoutSeconds is 60 in config but not set in the genesis/);
    });
});
