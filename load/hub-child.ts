/**
 * Runs the reference hub alone in this process and writes its target file, so the load driver can measure
 * a hub whose CPU and RSS are its own. Used until `hubproof hub` exists, and by `hubproof bench`.
 *   node --import tsx load/hub-child.ts --target-out target.json [--data-dir DIR]
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startHub } from '../reference-server/hub.ts';

const { values } = parseArgs({ options: { 'target-out': { type: 'string' }, 'data-dir': { type: 'string' } } });
const dataDir = values['data-dir'] ?? mkdtempSync(join(tmpdir(), 'hubproof-hub-'));
const hub = await startHub({ port: 0, dataDir });
if (values['target-out']) writeFileSync(values['target-out'], JSON.stringify(hub.target(), null, 2));
process.stdout.write(`reference hub listening on ${hub.httpUrl}\n`);
const stop = (): void =>
  void hub.close().then(() => {
    if (!values['data-dir']) rmSync(dataDir, { recursive: true, force: true });
    process.exit(0);
  });
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
