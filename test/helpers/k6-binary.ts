/**
 * The real k6 the tests run, when there is one: `../shared/tools/k6/k6` beside the project (these
 * machines and CI have it), else `k6` on PATH. Only tests look there; nothing a user runs does. Without
 * one, `skipReason` says why the real-k6 cases are skipped.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');
const SHARED = join(ROOT, '..', 'shared', 'tools', 'k6', 'k6');

function find(): { bin?: string; reason: string } {
  const candidates = existsSync(SHARED) ? [SHARED] : ['k6'];
  for (const bin of candidates) {
    const r = spawnSync(bin, ['version'], {
      encoding: 'utf8',
      timeout: 15_000,
      env: { ...process.env, K6_AUTO_EXTENSION_RESOLUTION: 'false' },
    });
    if (r.error) continue;
    const m = /v(\d+)\.\d+\.\d+/.exec(`${r.stdout}${r.stderr}`);
    if (m && Number(m[1]) >= 2) return { bin, reason: '' };
    return { reason: `${bin} is not k6 v2 or later (the scripts need k6/websockets)` };
  }
  return { reason: 'no k6: neither ../shared/tools/k6/k6 nor k6 on PATH' };
}

const found = find();
/** The k6 executable, or undefined. */
export const k6Bin: string | undefined = found.bin;
/** ' (skipped: …)' to append to a test name when there is no k6, else ''. */
export const k6SkipNote = found.bin ? '' : ` (skipped: ${found.reason})`;
/** Environment for running k6 here: no extension service to reach, no usage report. */
export const K6_ENV = { K6_AUTO_EXTENSION_RESOLUTION: 'false', K6_NO_USAGE_REPORT: 'true' };
