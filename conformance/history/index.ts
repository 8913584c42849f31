export * from './types.ts';
export { History, recordOp, type OpHandle } from './recorder.ts';
export { checkHistory, assertHistory, type CheckOptions, type CheckResult } from './checker.ts';
export { VIOLATION_REQUIREMENTS } from './requirements.ts';
