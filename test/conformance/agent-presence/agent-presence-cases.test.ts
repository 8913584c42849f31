import { describe, expect, it } from 'vitest';
import { runConformance } from '../../../conformance/runner.ts';
import { CHECKS_HUB, startEmbeddedTarget, withTarget } from '../../../cli/embedded-target.ts';
import { provedBy } from '../../../conformance/cases/index.ts';
import { agentPresenceCases } from '../../../conformance/cases/agent-presence/index.ts';
import { REQUIREMENTS } from '../../../spec/requirements/index.ts';
import { startBrokenHub } from '../sync/broken-hub.ts';

describe('agent-presence cases', () => {
  it('cover every agent-presence requirement with at least one case', () => {
    const covered = new Set(agentPresenceCases.flatMap(provedBy));
    const missing = REQUIREMENTS.filter((r) => r.profile === 'agent-presence' && r.level !== 'MAY' && !covered.has(r.id)).map((r) => r.id);
    expect(missing).toEqual([]);
  });

  it('all pass against the embedded reference hub', async () => {
    const report = await withTarget(undefined, CHECKS_HUB, (hub) =>
      runConformance({ ...hub, selectors: ['agent-presence'], strict: true, progress: null }),
    );
    const bad = report.results.filter((r) => r.outcome !== 'pass');
    expect(bad.map((r) => `${r.id}: ${r.outcome} ${r.reason}\n  expected ${r.expected}\n  actual ${r.actual}`)).toEqual([]);
  }, 90_000);

  it('fails fan-out when dashboards miss every other update, and persistence without a restart hook is skipped', async () => {
    const upstream = await startEmbeddedTarget({ mode: 'in-process' });
    const broken = await startBrokenHub(upstream.target, 'drop-presence');
    try {
      const report = await runConformance({
        target: broken.target,
        selectors: ['agent-presence/stream/4', 'agent-presence/performance/1', 'agent-presence/persistence/1'],
        progress: null,
      });
      const by = new Map(report.results.map((r) => [r.requirement, r]));
      expect(by.get('agent-presence/stream/4')?.outcome).toBe('fail');
      expect(by.get('agent-presence/performance/1')?.outcome).toBe('fail');
      expect(by.get('agent-presence/persistence/1')?.outcome).toBe('skipped');
      expect(by.get('agent-presence/persistence/1')?.reason).toMatch(/restart/);
    } finally {
      await broken.close();
      await upstream.dispose();
    }
  }, 60_000);
});
