/** `hubproof bench [--json file] [--driver [--pin]] [--quick]`: a benchmark script that prints figures and writes JSON. */
import { parseArgs } from 'node:util';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { createProgress, withoutSeconds } from '../load/progress.ts';
import { runBench, runDriverCeiling, type BenchReport, type DriverCeiling } from '../bench/run-bench.ts';
import { stepTrail } from '../load/capacity/capacity-lines.ts';
import { numberOption } from './number-option.ts';

export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      json: { type: 'string', default: 'reports/out/bench.json' },
      driver: { type: 'boolean', default: false },
      subscribers: { type: 'string' },
      'start-rate': { type: 'string' },
      pin: { type: 'boolean', default: false },
      quick: { type: 'boolean', default: false },
      verbose: { type: 'boolean', default: false },
      repeat: { type: 'string' },
    },
  });
  // Steps and phases always (a bench runs for many minutes); every second's line with --verbose.
  const progress = values.verbose ? createProgress() : withoutSeconds(createProgress());
  const subscribers = values.subscribers ? Number(values.subscribers) : undefined;
  const result = values.driver
    ? await runDriverCeiling({
        subscribers,
        progress,
        pin: values.pin,
        startRate: values['start-rate'] ? Number(values['start-rate']) : undefined,
      })
    : await runBench({
        progress,
        subscribers,
        ...(values.quick ? { durationS: 3, stepS: 2, connections: 500, repeat: 1 } : {}),
        ...(values.repeat === undefined ? {} : { repeat: numberOption('repeat', values.repeat, { integer: true, min: 1 }) }),
      });
  process.stdout.write(result.kind === 'bench' ? formatBench(result) : formatCeiling(result));
  mkdirSync(dirname(values.json), { recursive: true });
  writeFileSync(values.json, `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(`JSON: ${values.json}\n`);
  return 0;
}

function formatBench(r: BenchReport): string {
  const rows: Array<[string, (s: BenchReport['servers'][number]) => string, string]> = [
    [
      `deliveries/s at ${r.servers[0]?.fixed.rate}/s × ${r.servers[0]?.fixed.subscribers} subs`,
      (s) => String(Math.round(s.fixed.deliveredPerS)),
      'deliveredPerS',
    ],
    ['p50 propagation ms', (s) => s.fixed.p50Ms.toFixed(2), 'p50Ms'],
    ['p99 propagation ms', (s) => s.fixed.p99Ms.toFixed(2), 'p99Ms'],
    ['reach', (s) => s.fixed.reach.toFixed(4), ''],
    ['fixed-load status', (s) => s.fixed.status, ''],
    ['  server CPU (of one core)', (s) => (s.fixed.serverCpuPct === null ? 'n/a' : `${Math.round(s.fixed.serverCpuPct)}%`), ''],
    ['  driver CPU (of all cores), loop lag', (s) => `${Math.round(s.fixed.driverCpuShare * 100)}%, ${s.fixed.driverLagMs} ms`, ''],
    ['  machine CPU busy', (s) => (s.fixed.machineShare === null ? 'n/a' : `${Math.round(s.fixed.machineShare * 100)}%`), ''],
    [
      `capacity at p99 < 50 ms, median of ${r.capacityRounds.repeat}`,
      (s) => (s.capacity.lastGoodRate === null ? 'none' : `${s.capacity.lowerBound ? '≥ ' : ''}${s.capacity.lastGoodRate}/s`),
      'capacity',
    ],
    [
      '  range of the searches',
      (s) => (s.capacity.spread ? `${s.capacity.spread.min ?? 'none'}–${s.capacity.spread.max ?? 'none'}/s` : 'n/a'),
      '',
    ],
    ['  search stopped by', (s) => stoppedBy(s.capacity), ''],
    ['MB per 1000 idle connections', (s) => (s.memory ? s.memory.mbPer1000.toFixed(1) : 'n/a'), 'mbPer1000'],
  ];
  const lines = [`hubproof bench — ${r.machine.cores} cores, ${r.machine.cpu}, Node ${r.machine.node}`, ''];
  const w = Math.max(...rows.map(([l]) => l.length));
  lines.push(`${''.padEnd(w)}  ${r.servers.map((s) => s.name.padStart(22)).join('')}  ${'hub/bare'.padStart(9)}`);
  for (const [label, get, key] of rows) {
    const ratio = key ? r.ratios[key] : undefined;
    lines.push(
      `${label.padEnd(w)}  ${r.servers.map((s) => get(s).padStart(22)).join('')}  ${(ratio == null ? '' : `${ratio}×`).padStart(9)}`,
    );
  }
  const c = r.cluster;
  const signed = (x: number | null) => (x === null ? 'n/a' : `${x >= 0 ? '+' : ''}${x.toFixed(2)} ms`);
  if (c)
    lines.push(
      '',
      `2 nodes on one Redis vs 1 node: capacity ${c.capacityRatio === null ? 'n/a' : `${c.capacityRatio}×`}, the Redis hop adds p50 ${signed(c.p50ExtraMs)}, p99 ${signed(c.p99ExtraMs)} at the fixed load${c.firstStep ? `; at ${c.firstStep.rate}/s × 100 subscribers p99 ${c.firstStep.p99Ms1} → ${c.firstStep.p99Ms2} ms (${signed(c.firstStep.p99ExtraMs)})` : ''} (subscribers spread over both nodes, published through node 1)`,
    );
  const h = r.capacityRounds.hubToBare;
  lines.push(
    '',
    `capacity searches interleaved, ${r.capacityRounds.order.map((o) => o.join(' → ')).join(' | ')}; hub ÷ bare per round: ${h.perRound.map((x) => x ?? 'n/a').join(', ')} (median ${h.median ?? 'n/a'}×, range ${h.min ?? 'n/a'}–${h.max ?? 'n/a'})`,
  );
  for (const s of r.servers)
    lines.push(
      '',
      `${s.name} capacity searches: ${(s.capacity.spread?.figures ?? [s.capacity.lastGoodRate]).map((x) => (x === null ? 'none' : `${x}/s`)).join(', ')}; the median one: ${stepTrail(s.capacity)}; stopped: ${s.capacity.stoppedBecause}`,
    );
  return `${lines.join('\n')}\n`;
}

/** The capacity search's end in two words; a driver/machine stop means the figure is a lower bound. */
function stoppedBy(c: BenchReport['servers'][number]['capacity']): string {
  const reason = c.stoppedBecause;
  if (c.lowerBound)
    return /machine CPU/.test(reason) ? 'machine (lower bound)' : /maxRate/.test(reason) ? 'maxRate (lower bound)' : 'driver (lower bound)';
  const why = /\((.*)\)/.exec(reason)?.[1] ?? reason;
  return why.startsWith('lost')
    ? 'loss'
    : why.startsWith('p99')
      ? 'p99 limit'
      : /publishes refused/.test(why)
        ? 'publish errors'
        : why.slice(0, 20);
}

function formatCeiling(r: DriverCeiling): string {
  const p = r.placement;
  const placed =
    p.mode === 'pinned'
      ? `bare server pinned to core ${p.serverCores!.join(',')}, driver to core ${p.driverCores!.join(',')}`
      : `bare server (own process) and driver sharing all ${r.machine.cores} cores${p.reason ? ` (${p.reason})` : ''}`;
  const lines = [
    `hubproof bench --driver — driver ceiling against the bare ws server, 1 channel × ${r.subscribers} subscribers, ${r.machine.cores} cores`,
    `${placed}; the server ${r.serverCoalesces ? 'coalesces each socket’s writes per loop turn' : 'writes every frame on its own'}`,
    '',
  ];
  const driverCores = p.driverCores?.length ?? r.machine.cores;
  for (const s of r.steps) {
    lines.push(
      `  ${String(s.rate).padStart(6)}/s → ${String(Math.round(s.deliveredPerS)).padStart(8)} deliveries/s  p99 ${s.p99Ms.toFixed(1).padStart(7)} ms  reach ${s.reach.toFixed(4)}  driver ${(s.driverCpuShare * driverCores).toFixed(2)} cores, lag ${s.driverLagMs} ms  server cpu ${s.hubCpuPct ?? '?'}% of a core${s.ok ? '' : '  ✗'}`,
    );
  }
  const c = r.ceiling;
  const held = c
    ? `${Math.round(c.deliveredPerS)} deliveries/s (${c.rate} events/s × ${r.subscribers}) held with reach 1, driver ${(c.driverCpuShare * driverCores).toFixed(2)} of its ${driverCores} core${driverCores === 1 ? '' : 's'} (${c.driverCpuMsPer1000} ms CPU per 1000 deliveries), loop lag p99 ${c.driverLagMs} ms`
    : 'no step held';
  const verdicts: Record<DriverCeiling['limitedBy'], string> = {
    driver: `Driver ceiling: ${held}; the next step saturated the driver.`,
    machine: c
      ? `Highest held: ${held}; then the machine's cores were saturated (other processes, or server + driver together), so this is a lower bound on the driver's ceiling.`
      : "No step could be measured: the machine's cores were saturated (other processes, or server + driver together); rerun on a quieter machine.",
    server: `Driver ceiling not reached: ${held}; the bare server ran out of its core first, so the driver's ceiling is higher (a lower bound).`,
    'max-rate': `Driver ceiling not reached up to the highest step: ${held}.`,
    unclear: `Highest held: ${held}; the next step failed with neither process saturated (machine contention?), so this is a lower bound.`,
  };
  lines.push('', verdicts[r.limitedBy], `Stopped: ${r.stoppedBecause}`);
  const f = r.fixed;
  if (f) {
    const split = f.driverUserCores === null ? '' : ` (user ${f.driverUserCores.toFixed(2)}, kernel ${f.driverKernelCores!.toFixed(2)})`;
    lines.push(
      `At ${f.rate} events/s × ${f.subscribers} subscribers: ${Math.round(f.deliveredPerS)} deliveries/s, reach ${f.reach.toFixed(4)}, p99 ${f.p99Ms} ms; driver ${f.driverCores.toFixed(2)} cores${split}, ${f.driverCpuMsPer1000} ms CPU per 1000 deliveries, loop lag p99 ${f.driverLagMs} ms; server ${f.serverCpuPct ?? '?'}% of a core (${f.status})`,
    );
  }
  if (r.costRatio !== null) lines.push(`CPU per delivery at the ceiling ÷ at the fixed load: ${r.costRatio}×`);
  return `${lines.join('\n')}\n`;
}
