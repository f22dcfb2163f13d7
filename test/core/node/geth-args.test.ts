import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { chownSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildGethArgs, buildInitScript, httpApis, type GethArgsInput } from "../../../core/node/geth-args";
import { buildTesseraConfig } from "../../../core/node/tessera-config";

const base: GethArgsInput = {
    consensus: "qbft",
    chainId: 1337,
    nodeName: "v1",
    role: "validator",
    tessera: true,
    rpcApis: ["eth", "net", "web3", "txpool"],
    verbosity: 3,
    raftBlockTimeMs: 50,
    extraFlags: [],
};

/** Value following `flag`, or undefined. */
function flag(args: string[], name: string): string | undefined {
    const i = args.indexOf(name);
    return i < 0 ? undefined : args[i + 1];
}

describe("core/node/geth-args", () => {
    it("runs every consensus with static, permissioned peers only and the chain id as network id", () => {
        for (const consensus of ["qbft", "ibft", "raft", "clique"] as const) {
            const args = buildGethArgs({ ...base, consensus });
            assert.ok(args.includes("--nodiscover") && args.includes("--permissioned"), consensus);
            assert.equal(flag(args, "--networkid"), "1337");
            assert.equal(flag(args, "--nodekey"), "/qstack/keys/nodekey");
        }
    });

    it("probes no NAT gateway (geth's default --nat any sends UPnP/NAT-PMP requests into the pod network)", () => {
        for (const consensus of ["qbft", "ibft", "raft", "clique"] as const) assert.equal(flag(buildGethArgs({ ...base, consensus }), "--nat"), "none", consensus);
    });

    it("never serves admin or personal over HTTP or WS", () => {
        for (const consensus of ["qbft", "ibft", "raft", "clique"] as const) {
            const args = buildGethArgs({ ...base, consensus });
            for (const f of ["--http.api", "--ws.api"]) {
                const apis = flag(args, f)!.split(",");
                assert.ok(!apis.includes("admin") && !apis.includes("personal"), `${consensus} ${f}`);
            }
        }
    });

    it("adds the consensus API namespace: istanbul for BFT, raft, clique", () => {
        assert.equal(httpApis("qbft", ["eth"]), "eth,istanbul");
        assert.equal(httpApis("ibft", ["eth"]), "eth,istanbul");
        assert.equal(httpApis("raft", ["eth"]), "eth,raft");
        assert.equal(httpApis("clique", ["eth", "clique"]), "eth,clique");
    });

    it("QBFT/IBFT validators mine; members do not", () => {
        for (const consensus of ["qbft", "ibft"] as const) {
            assert.ok(buildGethArgs({ ...base, consensus }).includes("--mine"));
            assert.ok(!buildGethArgs({ ...base, consensus, role: "member" }).includes("--mine"));
        }
    });

    it("BFT uses the genesis block period, not the deprecated --istanbul.blockperiod", () => {
        assert.ok(!buildGethArgs(base).some((a) => a.startsWith("--istanbul")));
    });

    it("raft runs --raft with the raft port and block time, without --mine", () => {
        const args = buildGethArgs({ ...base, consensus: "raft", raftBlockTimeMs: 300 });
        assert.ok(args.includes("--raft"));
        assert.equal(flag(args, "--raftport"), "50400");
        assert.equal(flag(args, "--raftblocktime"), "300");
        assert.ok(args.includes("--raftdnsenable"));
        assert.ok(!args.includes("--mine"));
    });

    it("clique signers unlock their account with the password file; members do not", () => {
        const signer = buildGethArgs({ ...base, consensus: "clique" });
        assert.equal(flag(signer, "--unlock"), "0");
        assert.equal(flag(signer, "--password"), "/qstack/keys/account-password");
        assert.ok(signer.includes("--mine"));
        const member = buildGethArgs({ ...base, consensus: "clique", role: "member" });
        assert.ok(!member.includes("--unlock") && !member.includes("--mine"));
    });

    it("only unlocks accounts for clique signers", () => {
        for (const consensus of ["qbft", "ibft", "raft"] as const) assert.ok(!buildGethArgs({ ...base, consensus }).includes("--unlock"));
    });

    it("uses Tessera through the Q2T unix socket, and no PTM without Tessera", () => {
        assert.equal(flag(buildGethArgs(base), "--ptm.socket"), "/qstack/tm-ipc/tm.ipc");
        const none = buildGethArgs({ ...base, tessera: false });
        assert.ok(!none.some((a) => a.startsWith("--ptm")));
    });

    it("appends extra flags last", () => {
        const args = buildGethArgs({ ...base, extraFlags: ["--txpool.globalslots=8192"] });
        assert.equal(args[args.length - 1], "--txpool.globalslots=8192");
    });

    it("initializes the chain only once and copies the keystore (geth skips symlinked key files)", () => {
        const script = buildInitScript();
        assert.match(script, /if \[ ! -d \/data\/quorum\/geth\/chaindata \]; then geth --datadir \/data\/quorum init \/qstack\/genesis\/genesis.json; fi/);
        assert.match(script, /cp -f \/qstack\/keys\/account-keystore.json \/data\/quorum\/keystore\//);
        assert.match(script, /ln -sf \/qstack\/permissioned-nodes\/permissioned-nodes.json \/data\/quorum\/permissioned-nodes.json/);
    });
});

describe("core/node/geth-args: the init script on a volume a previous start left", () => {
    /**
     * Runs the script for real, twice, as UID 1000 (via setpriv when the test runs as root, since
     * root ignores file modes), with the pod's paths moved under a temp dir, read-only key files
     * as a Secret mount has them, and a stand-in `geth init` that creates chaindata.
     */
    it("succeeds on a restart: the read-only keystore copy of the first start is replaced", function () {
        const dir = mkdtempSync(join(tmpdir(), "qstack-init-"));
        try {
            const at = (p: string) => join(dir, p);
            for (const d of ["qstack/keys", "qstack/genesis", "qstack/static-nodes", "qstack/permissioned-nodes", "data", "bin"]) mkdirSync(at(d), { recursive: true });
            writeFileSync(at("qstack/keys/account-keystore.json"), "{}", { mode: 0o440 });
            writeFileSync(at("qstack/genesis/genesis.json"), "{}");
            writeFileSync(at("bin/geth"), '#!/bin/sh\n# stand-in for `geth --datadir D init G`\nmkdir -p "$2/geth/chaindata" && echo init >> "$2/../init-runs"\n', { mode: 0o755 });
            const script = buildInitScript().split("/qstack/").join(`${at("qstack")}/`).split("/data/").join(`${at("data")}/`).split("/data ").join(`${at("data")} `);
            chownSync(dir, 1000, 1000);
            for (const d of ["data", "bin", "qstack"]) execFileSync("chown", ["-R", "1000:1000", at(d)]);
            const asUid1000 = process.getuid?.() === 0 ? ["setpriv", "--reuid=1000", "--regid=1000", "--clear-groups", "sh", "-c", script] : ["sh", "-c", script];
            const env = { ...process.env, PATH: `${at("bin")}:${process.env.PATH}` };
            for (let start = 1; start <= 2; start++) execFileSync(asUid1000[0], asUid1000.slice(1), { env, stdio: "pipe" });
            assert.equal(readFileSync(at("data/init-runs"), "utf8"), "init\n", "geth init ran on the first start only");
            assert.equal(readFileSync(at("data/quorum/keystore/account.json"), "utf8"), "{}");
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    });
});

describe("core/node/tessera-config", () => {
    const config = buildTesseraConfig({ p2pUrl: "http://10.0.0.1:30001", thirdPartyUrl: "http://v1.ns.svc:9080", peerUrls: ["http://10.0.0.1:30002"] }) as any;
    it("advertises the external P2P URL and binds on all addresses", () => {
        const p2p = config.serverConfigs.find((s: any) => s.app === "P2P");
        assert.equal(p2p.serverAddress, "http://10.0.0.1:30001");
        assert.equal(p2p.bindingAddress, "http://0.0.0.0:9000");
    });
    it("serves Q2T on the unix socket geth uses", () => {
        assert.equal(config.serverConfigs.find((s: any) => s.app === "Q2T").serverAddress, "unix:/qstack/tm-ipc/tm.ipc");
    });
    it("lists peers, key files from the Secret mount, no inline keys and no passwords", () => {
        assert.deepEqual(config.peer, [{ url: "http://10.0.0.1:30002" }]);
        assert.deepEqual(config.keys, { keyData: [{ privateKeyPath: "/qstack/keys/tm.key", publicKeyPath: "/qstack/keys/tm.pub" }] });
    });
    it("has the fields Tessera requires and no removed 'enabled' flag", () => {
        for (const k of ["jdbc", "serverConfigs", "peer", "keys"]) assert.ok(config[k], k);
        assert.ok(!JSON.stringify(config).includes('"enabled"'));
    });
});
