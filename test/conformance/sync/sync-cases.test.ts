/**
 * Every sync case passes against the embedded reference hub, strict (the performance SHOULDs judge
 * latency, so this file runs alone: SOLO in vitest.config.ts). The broken hubs are in sync-broken-hub.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { runConformance } from '../../../conformance/runner.ts';
import { CHECKS_HUB, withTarget } from '../../../cli/embedded-target.ts';
import { provedBy } from '../../../conformance/cases/index.ts';
import { syncCases } from '../../../conformance/cases/sync/index.ts';
import { REQUIREMENTS } from '../../../spec/requirements/index.ts';

describe('sync cases', () => {
  it('cover every sync requirement (MUST and SHOULD) with at least one case', () => {
    const covered = new Set(syncCases.flatMap(provedBy));
    const missing = REQUIREMENTS.filter((r) => r.profile === 'sync' && r.level !== 'MAY' && !covered.has(r.id)).map((r) => r.id);
    expect(missing).toEqual([]);
    const unknown = syncCases.flatMap(provedBy).filter((id) => !REQUIREMENTS.some((r) => r.id === id));
    expect(unknown).toEqual([]);
  });

  it('all pass against the embedded reference hub (strict; cluster cases skipped on one node)', async () => {
    const report = await withTarget(undefined, CHECKS_HUB, (hub) =>
      runConformance({ ...hub, selectors: ['sync'], strict: true, numRuns: 4, progress: null }),
    );
    const bad = report.results.filter(
      (r) => r.outcome === 'fail' || r.outcome === 'non-strict' || (r.outcome === 'skipped' && !r.id.startsWith('sync/cluster/')),
    );
    expect(bad.map((r) => `${r.id}: ${r.reason}\n  expected ${r.expected}\n  actual ${r.actual}`)).toEqual([]);
    expect(report.results.filter((r) => r.outcome === 'pass').length).toBeGreaterThan(55);
  }, 180_000);
});
