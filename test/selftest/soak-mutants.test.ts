/**
 * Each soak mutant, run as a process of its own whose pid its target names, is caught by the soak check
 * it breaks and by nothing else (selftest/mutants/soak-mutants.ts): the thresholds it breaches are
 * exactly its `breaks`, delivery stays complete, and the story names the cause. The four run side by
 * side, each against its own hub.
 */
import { join } from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHubProcess, type HubProcess } from '../../cli/hub-process.ts';
import type { ScenarioResult } from '../../load/report-types.ts';
import { SOAK_MUTANTS } from '../../selftest/mutants/soak-mutants.ts';
import { breached, scaledSoak, story } from '../load/soak/scaled-soak.ts';

const SERVE = join(import.meta.dirname, '..', '..', 'selftest', 'serve-soak-mutant.ts');
const dir = mkdtempSync(join(tmpdir(), 'hubproof-soak-mutants-'));
const procs: HubProcess[] = [];
const results = new Map<string, ScenarioResult>();

beforeAll(async () => {
  await Promise.all(
    SOAK_MUTANTS.map(async (m) => {
      // 8 MB per closed connection: past the return margin within the 3 s fitted (see scaled-soak.ts).
      const p = await startHubProcess(['--import', 'tsx', SERVE, m.name, '--leak-kb', '8192'], join(dir, `${m.name}.json`));
      procs.push(p);
      results.set(m.name, await scaledSoak(p.target));
    }),
  );
}, 120_000);

afterAll(async () => {
  await Promise.all(procs.map((p) => p.stop()));
  rmSync(dir, { recursive: true, force: true });
});

describe('soak mutants', () => {
  for (const m of SOAK_MUTANTS) {
    it(`${m.name} breaches ${m.breaks.join(' and ')} and nothing else`, () => {
      const s = results.get(m.name)!;
      expect(breached(s).sort(), story(s)).toEqual([...m.breaks].sort());
      expect(s.delivery.reach).toBe(1);
      expect(s.status).toBe('fail');
    });
  }

  it('names each ghost member with how its connection ended', () => {
    const s = results.get('soak-presence-ghosts')!;
    const leftovers = s.soak!.return.leftovers;
    expect(leftovers.length).toBeGreaterThan(0);
    expect(
      leftovers.every((l) =>
        /^presence-soak-\w+-\d+ still lists user u-\d+ \(its connection was (destroyed|stopped answering) [\d.]+ s ago\)$/.test(l),
      ),
    ).toBe(true);
  });

  it('shows the leaks as growth with a projection, and the silent connections as not reaped', () => {
    const rss = results.get('soak-keeps-buffers')!.soak!.growth.find((g) => g.series === 'rss')!;
    expect(rss.shown).toBe(true);
    expect(rss.line).toMatch(/^RSS \+[\d,]+ MB\/h \(95 % CI [\d,]+–[\d,]+; .*\), projected 1 GB in \d+ min$/);
    const fds = results.get('soak-leaks-descriptors')!.soak!.growth.find((g) => g.series === 'fds')!;
    expect(fds.line).toMatch(/projected its open-files limit of [\d,]+ in /);
    const silent = results.get('soak-never-reaps-silent')!.soak!.reaping.find((r) => r.kind === 'silent')!;
    expect(silent.notReaped).toBe(silent.count);
  });
});
