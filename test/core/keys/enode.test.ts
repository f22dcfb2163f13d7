import assert from "node:assert/strict";
import { enodeIdToAddress, formatEnodeUrl, isEnodeId, parseEnodeUrl } from "../../../core/keys/enode";
import { computeKeyAddress } from "../../../core/keys/secp256k1-key";
import { QstackError } from "../../../core/errors";
import { nodeKeys, vectorJson } from "../../helpers/vectors";

describe("core/keys/enode", () => {
    const urls = vectorJson<string[]>("permissioned-nodes.json");

    urls.forEach((url, i) => {
        it(`parses and re-formats quorum-examples enode ${i + 1} byte for byte`, () => {
            const parsed = parseEnodeUrl(url, "url");
            assert.equal(parsed.raftPort, 50401 + i);
            assert.equal(formatEnodeUrl(parsed), url);
        });
    });

    it("formats BFT URLs with discport=0 and no raftport", () => {
        const id = /enode:\/\/([0-9a-f]+)@/.exec(urls[0])![1];
        assert.equal(formatEnodeUrl({ enodeId: id, host: "10.0.0.1", port: 30001 }), `enode://${id}@10.0.0.1:30001?discport=0`);
    });

    it("maps an enode id to the validator address of its nodekey", () => {
        const id = /enode:\/\/([0-9a-f]+)@/.exec(urls[0])![1];
        assert.equal(enodeIdToAddress(id), computeKeyAddress(nodeKeys()[0]));
    });

    it("says why a host is not an address", () => {
        assert.throws(() => parseEnodeUrl(urls[0].replace("127.0.0.1", "10.0.0"), "partner.enodeUrl"), /partner.enodeUrl: host 10.0.0 has 3 dot-separated parts/);
    });

    it("reads and writes an IPv6 host in brackets, as GoQuorum's enode URLs have it", () => {
        const id = /enode:\/\/([0-9a-f]+)@/.exec(urls[0])![1];
        const url = `enode://${id}@[2001:db8::7]:30303?discport=0`;
        assert.deepEqual(parseEnodeUrl(url, "u"), { enodeId: id, host: "2001:db8::7", port: 30303 });
        assert.equal(formatEnodeUrl({ enodeId: id, host: "2001:db8::7", port: 30303 }), url);
    });

    it("rejects a 128-hex id that is not a curve point", () => {
        assert.equal(isEnodeId("00".repeat(64)), false);
    });

    for (const [what, url] of [
        ["no scheme", "ac6b@1.2.3.4:30303"],
        ["short id", "enode://abcd@1.2.3.4:30303"],
        ["port out of range", urls[0].replace(":21000", ":70000")],
        ["bad raftport", urls[0].replace("raftport=50401", "raftport=0")],
        ["unknown parameter", `${urls[0]}&foo=1`],
        ["bad host", urls[0].replace("127.0.0.1", "bad_host!")],
        ["a dotted-quad lookalike host", urls[0].replace("127.0.0.1", "127.0.0.256")],
        ["an unbracketed IPv6 host", urls[0].replace("127.0.0.1", "::1")],
    ]) {
        it(`rejects an enode URL with ${what}`, () => {
            assert.throws(() => parseEnodeUrl(url, "partner.enodeUrl"), (e: unknown) => e instanceof QstackError && e.message.startsWith("partner.enodeUrl: "));
        });
    }
});
