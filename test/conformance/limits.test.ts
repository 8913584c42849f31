/** Declared limits: tested as declared, listed as findings; undeclared, a failing limit case says what the hub appears to allow. */
import { describe, expect, it } from 'vitest';
import { largestAccepted, limitFindings } from '../../conformance/limits.ts';
import { runConformance } from '../../conformance/runner.ts';
import { startUpstreamHub } from '../../selftest/upstream-hub.ts';
import { effectiveLimits, limitDifferences, PUSHER_LIMITS } from '../../spec/limits.ts';
import { parseTarget } from '../../spec/target.ts';

describe('limits', () => {
  it('default to Pusher’s; each declared difference is one informational line', () => {
    expect(effectiveLimits({})).toEqual(PUSHER_LIMITS);
    const declared = { limits: { channel_name_length: 200, event_data_bytes: 100 * 1024, batch_size: 10, frame_bytes: 65536 } };
    expect(effectiveLimits(declared)).toMatchObject({ channel_name_length: 200, event_data_bytes: 102400, channels_per_trigger: 100 });
    expect(limitDifferences(declared)).toEqual([
      'channel names: 200, Pusher 164',
      'event data: 100 KB, Pusher 10 KB',
      'WebSocket messages: 64 KB, Pusher states none',
    ]);
    expect(limitFindings(declared)[0]).toEqual({ id: 'limit#1', kind: 'limit', severity: 'info', text: 'channel names: 200, Pusher 164' });
  });

  it('are validated in the target file', () => {
    const base = {
      name: 'x',
      profiles: ['pusher'],
      nodes: [{ ws: 'ws://127.0.0.1:1', http: 'http://127.0.0.1:1' }],
      app: { id: '1', key: 'k', secret: 's' },
    };
    expect(parseTarget({ ...base, limits: { channel_name_length: 200 } }).limits).toEqual({ channel_name_length: 200 });
    expect(() => parseTarget({ ...base, limits: { channel_name_lenght: 200 } })).toThrow(/limits/);
    expect(() => parseTarget({ ...base, limits: { event_data_bytes: -1 } })).toThrow(/limits\.event_data_bytes/);
  });

  it('probe by binary search within a few requests', async () => {
    let calls = 0;
    const upTo = (max: number) => async (n: number) => (calls++, n <= max);
    expect(await largestAccepted(165, 4096, upTo(200))).toBe(200);
    expect(calls).toBeLessThanOrEqual(14);
    expect(await largestAccepted(165, 4096, upTo(9999))).toBe(4096);
    expect(await largestAccepted(165, 4096, upTo(100))).toBe(164);
  });
});

describe('limit cases against hubs with their own limits', () => {
  const run = async (hubLimits: Record<string, number>, declared: Record<string, number> | undefined) => {
    const hub = await startUpstreamHub({ hubConfig: { limits: hubLimits } });
    try {
      const target = { ...hub.target, ...(declared ? { limits: declared } : {}) };
      return await runConformance({ target, selectors: ['pusher/http-api/3', 'pusher/limits/1'], seed: 1, numRuns: 1, progress: null });
    } finally {
      await hub.close();
    }
  };

  it('Soketi-like 100 KB data, undeclared: http-api/3 fails and says the hub appears to take up to 100 KB', async () => {
    const report = await run({ maxEventBytes: 100 * 1024 }, undefined);
    const row = report.results.find((r) => r.id === 'pusher/http-api/3#1')!;
    expect(row.outcome).toBe('fail');
    expect(row.reason).toContain(
      'the hub appears to have its own limit: event data up to 100 KB, Pusher 10 KB; if that is by design, declare "limits": {"event_data_bytes": …}',
    );
    expect(report.findings).toEqual([]);
  }, 60_000);

  it('the same hub, declared: both limit cases test 100 KB and pass, and the report lists the limit', async () => {
    const report = await run({ maxEventBytes: 100 * 1024 }, { event_data_bytes: 100 * 1024 });
    expect(report.results.map((r) => [r.id, r.outcome])).toEqual([
      ['pusher/http-api/3#1', 'pass'],
      ['pusher/limits/1#1', 'pass'],
    ]);
    expect(report.findings.map((f) => f.text)).toEqual(['event data: 100 KB, Pusher 10 KB']);
  }, 60_000);

  it('Reverb-like 10,000-byte body cap, undeclared: limits/1 fails and the probe shows the cap is on the whole body', async () => {
    const report = await run({ maxBodyBytes: 10_000 }, undefined);
    const row = report.results.find((r) => r.id === 'pusher/limits/1#1')!;
    expect(row.outcome).toBe('fail');
    expect(row.reason).toMatch(
      /answered 413; the hub appears to have its own limit: event data up to \d+ bytes of data to one channel, \d+ bytes to 100 channels \(the cap looks like one on the whole request body\)/,
    );
  }, 60_000);
});
