import assert from "node:assert/strict";
import { addressProblem, classifyAddress, dnsNameProblem, formatUrlHost, parseUrlHost } from "../../../core/net/address";

describe("core/net/address", () => {
    it("accepts IPv4 addresses, IPv6 addresses and possible DNS names", () => {
        for (const [text, kind] of [
            ["10.0.0.7", "ipv4"], ["0.0.0.0", "ipv4"], ["255.255.255.255", "ipv4"], ["127.0.10.1", "ipv4"],
            ["::1", "ipv6"], ["2001:db8::7", "ipv6"], ["fe80::1:2:3:4", "ipv6"],
            ["node-a.example.com", "dns"], ["localhost", "dns"], ["a.b-c.d1", "dns"], ["Example.COM", "dns"], ["10.0.0.7.nip.io", "dns"], ["example.com.", "dns"],
        ] as const) {
            assert.deepEqual(classifyAddress(text), { kind }, text);
        }
    });

    it("gives a dotted-quad lookalike its own reason: an octet out of range, too few or too many parts, a leading zero", () => {
        assert.equal(addressProblem("999.1.1.1"), "octet 999 is out of range (0-255)");
        assert.equal(addressProblem("10.0.0"), "has 3 dot-separated parts; an IPv4 address has 4");
        assert.equal(addressProblem("1.2.3.4.5"), "has 5 dot-separated parts; an IPv4 address has 4");
        assert.equal(addressProblem("10.0.0.07"), "octet 07 has a leading zero");
        assert.equal(addressProblem("10..0.1"), "has an empty octet");
        assert.equal(addressProblem("12345"), "has 1 dot-separated part; an IPv4 address has 4");
    });

    it("refuses what cannot be a DNS name, saying which label is wrong", () => {
        assert.match(addressProblem("node_a.example.com")!, /label 'node_a'/);
        assert.match(addressProblem("-a.example.com")!, /label '-a'/);
        assert.match(addressProblem("a..b")!, /empty label/);
        assert.match(addressProblem(`${"a".repeat(64)}.com`)!, /at most 63/);
        assert.match(addressProblem(`${"a.".repeat(127)}com`)!, /at most 253/);
        assert.match(addressProblem("host.123")!, /last label is all digits/);
        assert.match(addressProblem("http://10.0.0.1")!, /IPv6|label/);
        assert.equal(addressProblem(""), "is empty");
        assert.equal(addressProblem(7), "is not a string");
        assert.equal(dnsNameProblem("rpc.example.com"), undefined);
    });

    it("refuses a malformed IPv6 address", () => {
        assert.equal(addressProblem("2001:db8:::1"), "is not a valid IPv6 address");
        assert.equal(addressProblem("[::1]"), "is not a valid IPv6 address");
    });

    it("brackets IPv6 hosts in URLs and strips the brackets when parsing", () => {
        assert.equal(formatUrlHost("2001:db8::7"), "[2001:db8::7]");
        assert.equal(formatUrlHost("10.0.0.7"), "10.0.0.7");
        assert.equal(parseUrlHost("[2001:db8::7]"), "2001:db8::7");
        assert.equal(parseUrlHost("node.example.com"), "node.example.com");
    });
});
