/** Types of ./recorded-console.js (plain JS, because test/helpers/fake-geth.js uses it too). */
export interface RecordedMember { type: string; value?: unknown; call?: string }
export interface ConsoleRecording { recordedFrom: string; node: string; staticNodes: string[]; members: Record<string, RecordedMember> }
export const RECORDING: ConsoleRecording;
export function recordedConsole(state?: Record<string, unknown>): { context: Record<string, any>; calls: string[] };
export function consoleError(e: unknown): string;
