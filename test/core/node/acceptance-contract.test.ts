import assert from "node:assert/strict";
import { createEVM } from "@ethereumjs/evm";
import { bytesToHex, hexToBytes } from "@ethereumjs/util";
import { acceptanceCallResult, acceptanceInitCode } from "../../../core/node/acceptance-contract";

/** Deploys `initCode` in a real EVM, then calls the contract with empty data. */
async function deployAndCall(initCode: string): Promise<{ deployError?: string; returned: string }> {
    const evm = await createEVM();
    const created = await evm.runCall({ data: hexToBytes(initCode as `0x${string}`), gasLimit: 1_000_000n });
    const call = await evm.runCall({ to: created.createdAddress, data: new Uint8Array(), gasLimit: 100_000n });
    return { deployError: created.execResult.exceptionError?.error, returned: bytesToHex(call.execResult.returnValue) };
}

describe("core/node/acceptance-contract", () => {
    for (const value of [0, 42, 0xdeadbeef, 0xffffffff]) {
        it(`a contract deployed with run value ${value} returns it from any call (real EVM)`, async () => {
            const r = await deployAndCall(acceptanceInitCode(value));
            assert.equal(r.deployError, undefined);
            assert.equal(r.returned, acceptanceCallResult(value));
        });
    }

    it("two runs store different values, so an earlier run's contract cannot pass a later check", async () => {
        const first = await deployAndCall(acceptanceInitCode(1));
        assert.notEqual(first.returned, acceptanceCallResult(2));
    });

    it("refuses values that do not fit the 4-byte PUSH4 operand", () => {
        assert.throws(() => acceptanceInitCode(2 ** 32), /out of range/);
        assert.throws(() => acceptanceInitCode(-1), /out of range/);
    });
});
