import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { qctl } from "../helpers/qctl";
import { nodeKeys, vectorFile, vectorJson, extraDataLines } from "../helpers/vectors";
import { computeKeyAddress } from "../../core/keys/secp256k1-key";


describe("cli/qctl", () => {
    it("keys derive prints the enode id and address GoQuorum's bootnode and istanbul tools give", async () => {
        const r = await qctl("keys", "derive", "--nodekey", nodeKeys()[0]);
        assert.equal(r.code, 0);
        const enode = /enode:\/\/([0-9a-f]{128})@/.exec(vectorJson<string[]>("permissioned-nodes.json")[0])![1];
        assert.deepEqual(JSON.parse(r.out), { enodeId: enode, address: "0xd8Dba507e85F116b1f7e231cA8525fC9008A6966" });
        assert.equal(r.err, "");
    });

    it("keys tessera-public prints the .pub of a .key file or bare base64", async () => {
        const fromFile = await qctl("keys", "tessera-public", "--private", vectorFile("keys/tm2.key"));
        assert.equal(fromFile.out.trim(), vectorFile("keys/tm2.pub").trim());
        const bare = await qctl("keys", "tessera-public", `--private=${JSON.parse(vectorFile("keys/tm3.key")).data.bytes}`);
        assert.equal(bare.out.trim(), vectorFile("keys/tm3.pub").trim());
    });

    it("genesis extradata reproduces quorum-examples' QBFT and IBFT vectors, order as given", async () => {
        const validators = nodeKeys().map(computeKeyAddress).join(",");
        assert.equal((await qctl("genesis", "extradata", "--consensus", "qbft", "--validators", validators)).out.trim(), extraDataLines("qbft-extradata.txt").get(7));
        assert.equal((await qctl("genesis", "extradata", "--consensus", "ibft", "--validators", validators)).out.trim(), extraDataLines("istanbul-extradata.txt").get(7));
    });

    for (const [what, argv, pattern] of [
        ["an unknown command", ["keys", "explode"], /unknown command "keys explode"; allowed: .*keys derive/],
        ["a missing flag", ["keys", "derive"], /--nodekey: required/],
        ["an unknown flag", ["keys", "derive", "--key", "x"], /--key: unknown flag.*allowed: --nodekey/],
        ["a malformed nodekey", ["keys", "derive", "--nodekey", "12"], /--nodekey: private key must be 64 hex/],
        ["an unknown consensus", ["genesis", "extradata", "--consensus", "pow", "--validators", "0x0"], /--consensus: unknown consensus.*allowed: qbft, ibft, clique/],
        ["a bad address", ["genesis", "extradata", "--consensus", "qbft", "--validators", "0x12"], /validators\[0\]: not an Ethereum address/],
    ] as const) {
        it(`writes a clear error for ${what} on stderr, nothing on stdout, exit 2`, async () => {
            const r = await qctl(...argv);
            assert.equal(r.code, 2);
            assert.equal(r.out, "");
            assert.match(r.err, pattern);
        });
    }

    it("has help for every command", async () => {
        const overview = await qctl("--help");
        for (const c of ["keys derive", "keys tessera-public", "genesis extradata"]) {
            assert.ok(overview.out.includes(c));
            const [a, b] = c.split(" ");
            const help = await qctl(a, b, "--help");
            assert.equal(help.code, 0);
            assert.match(help.out, /^Usage: qctl /);
        }
    });

    it("runs as the npm bin with the same output and a non-zero exit on errors", () => {
        const bin = resolve(__dirname, "..", "..", "bin", "qctl");
        const ok = spawnSync(bin, ["keys", "derive", "--nodekey", nodeKeys()[1]], { encoding: "utf8" });
        assert.equal(ok.status, 0);
        assert.equal(JSON.parse(ok.stdout).address.toLowerCase(), "0x6571d97f340c8495b661a823f2c2145ca47d63c2");
        const bad = spawnSync(bin, ["keys", "derive", "--nodekey", "zz"], { encoding: "utf8" });
        assert.equal(bad.status, 2);
        assert.equal(bad.stdout, "");
        assert.match(bad.stderr, /--nodekey/);
    });
});
