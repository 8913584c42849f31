import { describe, expect, it } from 'vitest';
import { describeBreach, evaluateThresholds } from '../../load/thresholds.ts';
import { accounting } from '../../load/measure/sequence-tracker.ts';

const latency = (p99: number, count = 100) => ({
  unit: 'ms' as const,
  count,
  p50: 1,
  p90: 2,
  p99,
  p999: p99,
  max: p99,
  mean: 1,
  curve: [],
});
const delivery = (expected: number, received: number) => ({
  ...accounting(expected, received, 0, 0),
  publishErrors: 0,
  publishErrorSamples: [],
  connectFailures: 0,
  connectErrorSamples: [],
  unexpected: 0,
  disconnects: 0,
  closeReasons: [],
});
const throughput = (sentPerS: number) => ({ targetRate: sentPerS, sent: sentPerS * 10, sentPerS, deliveredPerS: sentPerS, maxInFlight: 1 });

describe('thresholds', () => {
  it('passes a run inside every limit', () => {
    const r = evaluateThresholds(
      { p99Ms: 50, minReach: 1, minRate: 1000 },
      { latency: latency(12), delivery: delivery(1000, 1000), throughput: throughput(1000), windowS: 10 },
    );
    expect(r.every((t) => t.ok)).toBe(true);
  });

  it('breaches p99 at the limit, not only above it (< 50 ms is the SLO)', () => {
    const [t] = evaluateThresholds(
      { p99Ms: 50 },
      { latency: latency(50), delivery: delivery(1, 1), throughput: throughput(1), windowS: 1 },
    );
    expect(t).toMatchObject({ name: 'p99Ms', ok: false, actual: 50 });
    expect(describeBreach('fanout', t!)).toBe('fanout: p99Ms breached — p99 propagation 50 ms, required < 50 ms');
  });

  it('breaches reach when one delivery in a million is lost, however good the latency', () => {
    const [t] = evaluateThresholds(
      { minReach: 1 },
      { latency: latency(1), delivery: delivery(1_000_000, 999_999), throughput: throughput(1), windowS: 1 },
    );
    expect(t).toMatchObject({ name: 'minReach', ok: false });
  });

  it('counts a rate the hub accepted but did not deliver as not sustained', () => {
    const [t] = evaluateThresholds(
      { minRate: 1000 },
      { latency: latency(1), delivery: delivery(1000, 500), throughput: throughput(1200), windowS: 1 },
    );
    expect(t).toMatchObject({ name: 'minRate', actual: 600, ok: false });
  });

  it('fails a threshold it could not measure instead of passing it', () => {
    const r = evaluateThresholds(
      { p99Ms: 50, maxMbPer1000: 100, conflictP99Ms: 250 },
      { latency: latency(0, 0), delivery: delivery(0, 0), throughput: throughput(0), windowS: 1 },
    );
    expect(r.map((t) => [t.name, t.ok, t.actual])).toEqual([
      ['p99Ms', false, null],
      ['maxMbPer1000', false, null],
      ['conflictP99Ms', false, null],
    ]);
  });

  it('names publishes the hub refused or never answered as their own breach, with a sample, and leaves them out of the sustained rate', () => {
    const d = { ...delivery(900, 900), publishErrors: 100, publishErrorSamples: ['POST /apps/1/events → no answer'] };
    const r = evaluateThresholds(
      { minReach: 1, maxPublishErrors: 0, minRate: 95 },
      { latency: latency(1), delivery: d, throughput: { ...throughput(100), sent: 1000 }, windowS: 10 },
    );
    expect(r.map((t) => [t.name, t.ok, t.actual])).toEqual([
      ['minReach', true, 1],
      ['maxPublishErrors', false, 100],
      ['minRate', false, 90],
    ]);
    expect(describeBreach('fanout', r[1]!)).toBe(
      'fanout: maxPublishErrors breached — publishes the hub refused or never answered (POST /apps/1/events → no answer) 100, required <= 0',
    );
  });
});
