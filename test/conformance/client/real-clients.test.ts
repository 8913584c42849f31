/**
 * What the real clients score, pinned: pusher-js (the copy hubproof depends on) passes every client case
 * but three SHOULDs it really misses (no jitter, client events sent on public channels, a frame without
 * an event throws in its Node message handler and crashes the process); laravel-echo, over the same
 * pusher-js, refuses client events on public channels (it has no whisper there). A change in either is
 * a finding to look at, not noise.
 */
import { describe, expect, it } from 'vitest';
import { runClientConformance } from '../../../conformance/client/client-runner.ts';
import { driverSpec } from '../../../conformance/client/driver/driver-spec.ts';
import { conformanceJson } from '../../../reports/conformance-json.ts';
import { expectPublishedReport } from '../../helpers/published-schema.ts';

const outcomes = (r: Awaited<ReturnType<typeof runClientConformance>>) =>
  Object.fromEntries(r.results.filter((x) => x.outcome !== 'pass').map((x) => [x.id, x.outcome]));

describe('real clients', () => {
  it('pusher-js passes every case but the three SHOULDs it misses', async () => {
    const report = await runClientConformance({ driver: driverSpec('pusher-js'), strict: true, progress: null, concurrency: 4 });
    expect(outcomes(report)).toEqual({
      'pusher-client/backoff/1#1': 'non-strict',
      'pusher-client/client-events/3#1': 'non-strict',
      'pusher-client/robustness/2#1': 'non-strict',
    });
    expect(report.results.find((r) => r.id === 'pusher-client/robustness/2#1')?.reason).toMatch(/crashed the application on a JSON array/);
    expect(report.exitCode).toBe(0);
    expect(report.client).toMatchObject({ driver: 'pusher-js', library: 'pusher-js' });
    // What `hubproof client --json` writes: the conformance report's schema, with app>/app< wire lines.
    expect(report.results.some((r) => r.wire.some((w) => w.dir === 'app>'))).toBe(true);
    expectPublishedReport('conformance', conformanceJson(report));
  }, 90_000);

  it('laravel-echo passes what it adds over pusher-js: subscriptions, events, presence, client events and re-subscribing', async () => {
    const report = await runClientConformance({
      driver: driverSpec('laravel-echo'),
      selectors: [
        'pusher-client/subscribe',
        'pusher-client/events',
        'pusher-client/presence',
        'pusher-client/client-events',
        'pusher-client/resubscribe',
      ],
      strict: true,
      progress: null,
      concurrency: 4,
    });
    expect(outcomes(report)).toEqual({});
    expect(report.results.length).toBeGreaterThanOrEqual(13);
  }, 90_000);
});
