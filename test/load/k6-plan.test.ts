/** The k6 scripts' send plan and VU sizing: pure arithmetic every socket and VU does on its own. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countFor, expectedFor, sendPlan, streamSeq, windowSeqs } from '../../load/k6/lib/plan.ts';
import { DEFAULT_VU_CEILING, PUBLISH_CPU_MS, planSenders, planSubscribers, sizeRate } from '../../load/k6/lib/sizing.ts';

describe('send plan', () => {
  it('numbers every iteration once per stream and puts exactly the measured iterations in the window', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 30 }),
        (rate, warmupS, durationS, streams) => {
          const plan = sendPlan(rate, warmupS, durationS, streams);
          expect(plan.total - plan.warm).toBe(rate * durationS);
          const seen = new Set<string>();
          let inWindow = 0;
          for (let i = 0; i < plan.total; i++) {
            const { stream, seq, inWindow: w } = streamSeq(plan, i);
            seen.add(`${stream}:${seq}`);
            const [from, to] = windowSeqs(plan, stream);
            expect(w).toBe(seq >= from && seq <= to);
            if (w) inWindow++;
          }
          expect(seen.size).toBe(plan.total);
          expect(inWindow).toBe(expectedFor(plan));
          expect(Array.from({ length: streams }, (_, s) => countFor(plan.total, streams, s)).reduce((a, b) => a + b, 0)).toBe(plan.total);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('counts ⌈rate × seconds⌉ iterations for fractional rates, as constant-arrival-rate starts them', () => {
    expect(sendPlan(1.5, 0.5, 2, 1)).toMatchObject({ warm: 1, total: 4 });
    expect(sendPlan(10, 0.1 + 0.2, 0, 1).warm).toBe(3);
  });
});

describe('subscriber VU sizing', () => {
  it('keeps every VU at or under the ceiling and holds every socket', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 1, max: DEFAULT_VU_CEILING }), (sockets, perSocket) => {
        const p = planSubscribers(sockets, perSocket);
        expect(p.vus * p.socketsPerVu).toBeGreaterThanOrEqual(sockets);
        expect((p.vus - 1) * p.socketsPerVu).toBeLessThan(sockets);
        expect(p.perVuRate).toBeLessThanOrEqual(DEFAULT_VU_CEILING);
        expect(p.overCeiling).toBe(false);
      }),
    );
  });

  it('says when even one socket is more than a VU can take, and obeys SOCKETS_PER_VU', () => {
    expect(planSubscribers(10, 8000)).toMatchObject({ socketsPerVu: 1, vus: 10, overCeiling: true });
    expect(planSubscribers(100, 500, 5000, 50)).toMatchObject({ socketsPerVu: 50, vus: 2, perVuRate: 25_000 });
  });
});

describe('sender and rate sizing', () => {
  it('allocates every sending VU before the test and lets k6 add none mid-run', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.1, max: 5000, noNaN: true }), (rate) => {
        const p = planSenders(rate);
        expect(p.maxVUs).toBe(p.preAllocatedVUs);
        expect(p.preAllocatedVUs).toBeGreaterThanOrEqual(Math.max(10, rate / p.perVuRate));
      }),
    );
  });

  it('lowers a rate k6 could not generate on the cores it has, to a round rate within its budget', () => {
    const fanout = { sendCpuMs: PUBLISH_CPU_MS, deliveriesPerSend: 20 };
    expect(sizeRate(500, fanout, 2)).toMatchObject({ rate: 120, full: 500, budgetCores: 0.35 });
    expect(sizeRate(500, fanout, 8).rate).toBe(500);
    let last = 0;
    for (let cores = 1; cores <= 32; cores++) {
      const s = sizeRate(500, fanout, cores);
      expect(s.plannedCores).toBeLessThanOrEqual(s.budgetCores);
      expect(s.rate).toBeGreaterThanOrEqual(last);
      last = s.rate;
    }
  });
});
