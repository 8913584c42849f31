/**
 * `hubproof <args>` (in practice `hub …`), loaded ahead of time and held until a line arrives on stdin,
 * then run exactly as bin/hubproof.js runs it. The embedded hub keeps one ready for its next restart, so a
 * restart costs a graceful stop and a listen, not a process start: starting Node and transpiling the hub
 * takes seconds on a busy machine, longer than the fast hub's heartbeat timeout, and participants would
 * go stale across every restart. Exits quietly if stdin closes first (the standby was not needed).
 */
import { createInterface } from 'node:readline';
// Loaded now, not after the go line: that is the point of a standby.
import './hub-command.ts';
import { main } from './main.ts';

const go = await new Promise<boolean>((resolve) => {
  const lines = createInterface({ input: process.stdin });
  lines.once('line', () => (resolve(true), lines.close()));
  lines.once('close', () => resolve(false));
});
if (go) process.exitCode = await main(process.argv.slice(2));
