/**
 * `hubproof load --scenario capacity` through the CLI against bare HTTP+WS servers on loopback: --repeat N
 * reports every search with median and range, several --target interleave the hubs' searches (order
 * alternating per round) and report their ratio, and the flags that cannot go together exit 2. One short
 * step per search (stepStartRate = maxRate) keeps it quick; latency is not judged (p99 limit lifted).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBareServer, type BareServer } from '../../../bench/bare-ws-server.ts';
import { expectPublishedReport } from '../../helpers/published-schema.ts';

const BIN = join(import.meta.dirname, '..', '..', '..', 'bin', 'hubproof.js');
const QUICK = [
  ...[
    'channels=2',
    'subscribersPerChannel=3',
    'workers=1',
    'warmupS=0.2',
    'stepS=0.5',
    'confirmStepS=0',
    'stepStartRate=40',
    'maxRate=40',
    'thresholds.p99Ms=2500',
  ].flatMap((s) => ['--set', `capacity:${s}`]),
  ...['--max-driver-lag', '5000', '--max-driver-cpu', '2', '--max-machine-cpu', '2', '--quiet'],
];

let dir: string;
const servers: BareServer[] = [];
const files: string[] = [];
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hubproof-capacity-cli-'));
  for (const name of ['hub-a', 'hub-b']) {
    const s = await startBareServer();
    servers.push(s);
    const file = join(dir, `${name}.json`);
    writeFileSync(file, JSON.stringify({ ...s.target(), name }));
    files.push(file);
  }
});
afterAll(async () => {
  for (const s of servers) await s.close();
  rmSync(dir, { recursive: true, force: true });
});

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err ? ((err as { code?: number }).code ?? -1) : 0;
      resolve({ code: typeof code === 'number' ? code : -1, stdout, stderr });
    });
  });
}

describe('hubproof load --scenario capacity', () => {
  it('--repeat 2 runs the whole search twice and reports every search, the median and the range', async () => {
    const json = join(dir, 'repeat.json');
    const r = await cli(['load', '--target', files[0]!, '--scenario', 'capacity', '--repeat', '2', ...QUICK, '--json', json]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const report = JSON.parse(readFileSync(json, 'utf8'));
    expectPublishedReport('load', report);
    const c = report.scenarios[0].capacity;
    expect(c.runs).toHaveLength(2);
    expect(c.spread).toMatchObject({ runs: 2, figures: [40, 40], median: 40, min: 40, max: 40, withinOneStep: true });
    expect(c).toMatchObject({ lastGoodRate: 40, lowerBound: true, resolution: 0.1 });
    expect(c.runs[1].steps[0]).toMatchObject({ rate: 40, stage: 'ramp', run: 1, ok: true, lost: 0, publishErrors: 0 });
    expect(c.runs[1].steps[0].expected).toBe(c.runs[1].steps[0].sent * 3);
    expect(r.stdout).toMatch(/figure: at least 40\/s to within 10 %: median of 2 searches, range 40–40\/s/);
  });

  it('puts two hubs side by side: searches interleaved, order alternating, a ratio per round', async () => {
    const json = join(dir, 'side.json');
    const html = join(dir, 'side-html');
    const r = await cli([
      'load',
      '--target',
      files[0]!,
      '--target',
      files[1]!,
      '--scenario',
      'capacity',
      '--repeat',
      '2',
      ...QUICK,
      '--json',
      json,
      '--html',
      html,
    ]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const c = JSON.parse(readFileSync(json, 'utf8'));
    expect(c).toMatchObject({
      kind: 'capacity-comparison',
      rounds: 2,
      order: [
        ['hub-a', 'hub-b'],
        ['hub-b', 'hub-a'],
      ],
      verdict: 'pass',
    });
    expect(c.hubs.map((h: { name: string }) => h.name)).toEqual(['hub-a', 'hub-b']);
    // Each hub's load report; the comparison around them has no published schema of its own yet.
    for (const h of c.hubs) expectPublishedReport('load', h.report);
    expect(c.hubs[1].report.scenarios[0].capacity.spread).toMatchObject({ runs: 2, median: 40 });
    expect(c.ratios).toEqual([{ of: 'hub-b', to: 'hub-a', perRound: [1, 1], median: 1, min: 1, max: 1 }]);
    expect(r.stdout).toMatch(/hub-b ÷ hub-a: ×1 \(median of the rounds' ratios; range 1–1: 1, 1\)/);
    expect(existsSync(join(html, 'load.html'))).toBe(true);
    expect(readFileSync(join(html, 'load.html'), 'utf8')).toMatch(/<svg class="chart capacity-search"/);
  });

  it('exits 2 with one Error: line for several targets without the capacity scenario, and --repeat without it', async () => {
    const both = await cli(['load', '--target', files[0]!, '--target', files[1]!, '--scenario', 'fanout']);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(
      /^Error: several --target compare the hubs' capacity side by side: use --scenario capacity \[HUBPROOF_ERR_USAGE\]$/m,
    );
    const repeat = await cli(['load', '--target', files[0]!, '--scenario', 'fanout', '--repeat', '3']);
    expect(repeat.code).toBe(2);
    expect(repeat.stderr).toMatch(/^Error: --repeat repeats the capacity search: add --scenario capacity \[HUBPROOF_ERR_USAGE\]$/m);
  });
});
