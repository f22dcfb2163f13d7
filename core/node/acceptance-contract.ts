/**
 * The contract the acceptance test deploys: its constructor stores a 32-bit run value in slot 0,
 * and any call returns slot 0 as one 32-byte word. Hand-assembled EVM so the test needs no
 * Solidity compiler in the cluster or here; test/core/node/acceptance-contract.test.ts runs it
 * in a real EVM (@ethereumjs/evm).
 *
 * Each run stores its own value, so a contract left by an earlier run can never pass a later one.
 */

/** Runtime code: PUSH1 0 SLOAD PUSH1 0 MSTORE PUSH1 32 PUSH1 0 RETURN. */
export const RUNTIME_CODE = "6000546000526020" + "6000f3";

const runtimeLength = RUNTIME_CODE.length / 2;
/** Init code after the PUSH4 operand: SSTORE the value, then CODECOPY the runtime and RETURN it. */
const AFTER_VALUE_LENGTH = 14;
const INIT_LENGTH = 1 + 4 + AFTER_VALUE_LENGTH;
const hexByte = (n: number) => n.toString(16).padStart(2, "0");

/** Init code before the 4-byte value: PUSH4. */
export const INIT_CODE_PREFIX = "63";
/** Init code after the 4-byte value (PUSH1 0 SSTORE PUSH1 len DUP1 PUSH1 off PUSH1 0 CODECOPY PUSH1 0 RETURN) + runtime. */
export const INIT_CODE_SUFFIX =
    `600055` + `60${hexByte(runtimeLength)}80` + `60${hexByte(INIT_LENGTH)}600039` + `6000f3` + RUNTIME_CODE;

/** Deployment data storing `value` (0 ≤ value < 2^32). */
export function acceptanceInitCode(value: number): string {
    if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) throw new RangeError(`run value out of range: ${value}`);
    return `0x${INIT_CODE_PREFIX}${value.toString(16).padStart(8, "0")}${INIT_CODE_SUFFIX}`;
}

/** What `eth_call` returns from a deployed contract holding `value`. */
export function acceptanceCallResult(value: number): string {
    return `0x${value.toString(16).padStart(64, "0")}`;
}
