/**
 * Runs the selected cases against one hub, several at a time, and keeps the verdicts honest when the hub
 * dies. With concurrency 1, one at a time in registry order. Otherwise, start order: cases that need the hub to themselves (`exclusive`: restarts, latency bounds) one by
 * one first, then the rest longest-first; timer-bound cases (mostly waiting on a hub timer) run beside
 * the `concurrency` busy ones. A case's rows are final once a liveness probe that started after it ended
 * found the hub up; then they are written, in registry order.
 *
 * When a probe finds the hub down, every case still running is cut short, the culprit is picked from the
 * wire logs (crash.ts), and the hub is restarted (or awaited for `hubDownWaitMs`). With a restart the
 * suspects are run again alone, to confirm which one takes the hub down; the innocent cases that were cut
 * short, or whose connections were closed or refused since the hub was last seen up (the crash window),
 * run again: nothing they saw in that window is charged to a requirement. Without the hub back, every
 * case not yet judged is `blocked` by the crash (one that passed in the window keeps its pass).
 */
import type { CaseResult } from '../reports/model/case-result.ts';
import type { RunFinding } from '../reports/model/run-report.ts';
import {
  entryText,
  falloutSince,
  firstDistress,
  howIdentified,
  rankSuspects,
  type CaseRecord,
  type Confirmation,
  type CrashCharge,
  type Suspect,
} from './crash.ts';
import { isDistress, type HubProbe } from './liveness.ts';
import { LivenessWatch } from './liveness-watch.ts';
import type { OrderedProgress } from './ordered-progress.ts';
import { carryOut, planText, revivePlan, whatWentDown, type Restarts } from './revive.ts';
import type { NodeRestart } from '../target/handle.ts';

export interface Slot {
  /** Registry position: rows are reported in this order. */
  index: number;
  /** The case's id (its first row's). */
  id: string;
  /** Why the case needs the hub to itself; it then runs alone. */
  exclusive?: string;
  /** Mostly waiting on a hub timer: takes no concurrency slot (unless concurrency is 1). */
  timerBound?: boolean;
  /** Its deadline, as the longest-first key. */
  expectedMs: number;
}

export interface Attempt {
  /** Aborted when the run cuts the case short (the hub went down). */
  signal: AbortSignal;
  /** Called once the case's context exists: when it started (performance.now()) and its live wire log. */
  onStart(startedAt: number, wire: CaseRecord['wire']): void;
}

/** The charge against the culprit, with how it was identified (one sentence). */
export interface Charge extends CrashCharge {
  how: string;
}

export interface SchedulerOptions {
  slots: readonly Slot[];
  /** Busy cases at once; 1 runs everything strictly one at a time. */
  concurrency: number;
  runOne(index: number, attempt: Attempt): Promise<CaseResult[]>;
  /** The rows as reported, once judged (known deviations applied): the crash logic sees them as judged. */
  finalRows?(index: number, rows: CaseResult[]): CaseResult[];
  /** Rows of the case charged with a crash. */
  charged(index: number, charge: Charge): CaseResult[];
  /** Rows of a case the run cannot judge because the hub is down (`cut`: it was running when the hub died). */
  blocked(index: number, crash: RunFinding, cut: boolean): CaseResult[];
  probe(): Promise<HubProbe>;
  /** The first probe of the run (the hub is up): attribution windows start here. */
  firstProbe: HubProbe;
  restart?: () => Promise<void>;
  /** Restarts single nodes of a cluster: a node that stops answering while others answer is restarted alone. */
  restartNode?: NodeRestart;
  /** How long to wait for a hub to come back (after a restart, or by itself without one). */
  hubDownWaitMs: number;
  progress: OrderedProgress;
  warn(message: string): void;
}

interface Flight {
  slot: Slot;
  controller: AbortController;
  record: CaseRecord;
  /** Cut short by the run: its rows are the run's to replace. */
  cut: boolean;
  done: Promise<void>;
  rows?: CaseResult[];
  endedAt?: number;
}

/** Suspects run alone to confirm a crash, at most. */
const MAX_CONFIRM = 3;
/** After this many crashes the hub is not restarted again: the rest is blocked. */
const MAX_CRASHES = 10;

export class Scheduler {
  private readonly pending: number[];
  private readonly inflight = new Set<Flight>();
  /** Finished, not yet final (no probe after them yet). */
  private recent: Flight[] = [];
  private readonly rows = new Map<number, CaseResult[]>();
  private readonly findings: RunFinding[] = [];
  private lastUp: HubProbe;
  private down: HubProbe | undefined;
  private gone = false;
  /** A case ended in distress: start nothing until a probe says whether the hub is still up. */
  private holding = false;
  private wake: () => void = () => undefined;
  private failure: unknown;
  private readonly watch: LivenessWatch;

  constructor(private readonly opts: SchedulerOptions) {
    // One at a time means registry order, as before concurrency: a crash blocks exactly the cases after it.
    this.pending = (opts.concurrency <= 1 ? [...opts.slots] : startOrder(opts.slots)).map((s) => s.index);
    this.lastUp = opts.firstProbe;
    this.watch = new LivenessWatch({
      probe: opts.probe,
      onUp: (p) => this.seenUp(p),
      onDown: (p) => {
        this.down ??= p;
        this.holding = false;
        this.wake();
      },
    });
  }

  /** Runs every case; resolves with each case's rows (by registry index) and the crash findings. */
  async run(): Promise<{ rows: Map<number, CaseResult[]>; findings: RunFinding[] }> {
    this.watch.tick();
    try {
      for (;;) {
        if (this.failure) throw this.failure;
        if (this.down) await this.recover(this.down);
        this.fill();
        if (this.inflight.size === 0 && this.pending.length === 0) {
          if (this.recent.length === 0) break;
          // Nothing left to start: one last look at the hub decides the last cases' rows.
          await this.watch.idle();
          const last = await this.confirmedProbe();
          if (last.up) this.seenUp(last);
          else this.down ??= last;
          continue;
        }
        await new Promise<void>((resolve) => (this.wake = resolve));
      }
    } finally {
      this.watch.stop();
    }
    return { rows: this.rows, findings: this.findings };
  }

  /** Runs `fn` (a restart a case asked for) with liveness probes paused. */
  async quietly<T>(fn: () => Promise<T>): Promise<T> {
    this.watch.pause();
    try {
      return await fn();
    } finally {
      this.watch.resume();
    }
  }

  private fill(): void {
    if (this.holding) return;
    const alone = [...this.inflight].some((f) => f.slot.exclusive);
    if (alone) return;
    const serial = this.opts.concurrency <= 1;
    for (let i = 0; i < this.pending.length; i++) {
      const slot = this.opts.slots[this.pending[i]!]!;
      if (slot.exclusive) {
        if (this.inflight.size > 0 || i > 0) return;
        this.pending.splice(i, 1);
        this.launch(slot);
        return;
      }
      const busy = [...this.inflight].filter((f) => serial || !f.slot.timerBound).length;
      if (!serial && slot.timerBound) {
        this.pending.splice(i--, 1);
        this.launch(slot);
      } else if (busy < this.opts.concurrency && (!serial || this.inflight.size === 0)) {
        this.pending.splice(i--, 1);
        this.launch(slot);
      }
    }
  }

  private launch(slot: Slot): Flight {
    const controller = new AbortController();
    const flight: Flight = {
      slot,
      controller,
      record: { id: slot.id, startedAt: performance.now(), wire: [] },
      cut: false,
      done: Promise.resolve(),
    };
    if (slot.exclusive) this.watch.pause();
    this.inflight.add(flight);
    this.opts.progress.started(slot.id);
    const attempt: Attempt = {
      signal: controller.signal,
      onStart: (startedAt, wire) => (flight.record = { id: slot.id, startedAt, wire }),
    };
    flight.done = this.opts.runOne(slot.index, attempt).then(
      (rows) => this.settle(flight, rows),
      (err: unknown) => {
        this.failure ??= err;
        this.settle(flight, []);
      },
    );
    return flight;
  }

  private settle(flight: Flight, rows: CaseResult[]): void {
    flight.rows = rows;
    flight.endedAt = performance.now();
    this.inflight.delete(flight);
    this.opts.progress.stopped(flight.slot.id);
    if (flight.slot.exclusive) this.watch.resume();
    if (!flight.cut) {
      this.recent.push(flight);
      // A case that ran alone, or whose connections were refused or closed 42xx, is checked on at once;
      // after distress nothing new starts until the probe has answered, so no case starts on a dead hub.
      const distress = flight.record.wire.some(isDistress);
      if (distress) this.holding = true;
      this.watch.request(Boolean(flight.slot.exclusive) || distress);
    }
    this.wake();
  }

  /** Rows of cases that ended before `probe` started are final. */
  private seenUp(probe: HubProbe): void {
    if (this.holding) {
      this.holding = false;
      this.wake();
    }
    if (this.down) return;
    this.lastUp = probe;
    const final = this.recent.filter((f) => f.endedAt! <= probe.at);
    this.recent = this.recent.filter((f) => f.endedAt! > probe.at);
    for (const f of final) this.finalize(f.slot.index, f.rows!);
  }

  private finalize(index: number, judged: CaseResult[]): void {
    const rows = this.opts.finalRows?.(index, judged) ?? judged;
    this.rows.set(index, rows);
    this.opts.progress.done(index, rows);
  }

  private async confirmedProbe(): Promise<HubProbe> {
    const first = await this.opts.probe();
    if (first.up) return first;
    await sleep(200);
    const second = await this.opts.probe();
    return second.up ? second : first;
  }

  /** The hub is down: cut, attribute, restart or wait, confirm, requeue or block. */
  private async recover(downProbe: HubProbe): Promise<void> {
    this.watch.pause();
    await this.watch.idle();
    const cut = [...this.inflight];
    for (const f of cut) {
      f.cut = true;
      f.controller.abort(new Error('the hub went down'));
    }
    await Promise.all(cut.map((f) => f.done));
    const finished = this.recent;
    this.recent = [];
    const flights = [...cut, ...finished];
    const since = this.lastUp.at;
    const records = flights.map((f) => f.record);
    const diedAt = Math.min(firstDistress(records, since)?.at ?? Infinity, downProbe.at);
    const suspects = rankSuspects(records, since - 1000, diedAt);
    const crash: RunFinding = { id: `crash#${this.findings.length + 1}`, kind: 'crash', severity: 'fail', text: '' };
    this.findings.push(crash);
    const down = whatWentDown(downProbe);
    this.opts.progress.setNote(`${crash.id}: ${down} stopped answering (${downProbe.summary})`);

    const plan = revivePlan(downProbe, this.restarts);
    const restartable = plan.kind !== 'wait';
    let back = await this.revive(crash, downProbe);
    const rerun = new Map<number, CaseResult[]>();
    let confirmed: { suspect: Suspect; record: CaseRecord; probe: HubProbe; diedAt: number } | undefined;
    let check: Confirmation = !back ? (restartable ? 'not-back' : 'no-restart') : restartable ? 'not-reproduced' : 'came-back';
    if (back && restartable) {
      for (const s of suspects.slice(0, MAX_CONFIRM)) {
        const index = this.slotOf(s.record.id).index;
        const alone = await this.runAlone(index);
        if (alone.probe.up) {
          rerun.set(index, alone.rows);
          continue;
        }
        // The fatal entry of the run alone: the wire log of the confirming run is the one shown.
        const again = rankSuspects([alone.record], -Infinity, alone.diedAt)[0] ?? { ...s, record: alone.record };
        confirmed = { suspect: again, record: alone.record, probe: alone.probe, diedAt: alone.diedAt };
        check = 'confirmed';
        back = await this.revive(crash, alone.probe);
        break;
      }
    }

    const culprit = confirmed?.suspect ?? suspects[0];
    const charge: Charge | undefined = culprit && {
      crash,
      record: confirmed?.record ?? culprit.record,
      probe: confirmed?.probe ?? downProbe,
      diedAt: confirmed?.diedAt ?? diedAt,
      fatal: culprit.lastSent,
      how: howIdentified(suspects, check, confirmed ? whatWentDown(confirmed.probe) : down),
    };
    // On a cluster, which node went down and how it came back lead the line.
    const node = down === 'the hub' ? '' : `${down} went down `;
    const how = plan.kind === 'nodes' ? `; restarted alone with its own restart${plan.nodes.length > 1 ? 's' : ''}, not the hub's` : '';
    crash.text = charge
      ? `${node}during ${culprit!.record.id} after ${entryText(charge.fatal, 160)} (${charge.how}${how})`
      : `${node}while no case was sending to it (${downProbe.summary})`;
    if (charge) crash.cases = [culprit!.record.id];

    const requeue: number[] = [];
    for (const f of flights) {
      const index = f.slot.index;
      if (charge && f.slot.id === culprit!.record.id) this.finalize(index, this.opts.charged(index, charge));
      else if (rerun.has(index)) this.finalize(index, rerun.get(index)!);
      else if (!f.cut && !falloutSince(f.record, since)) this.finalize(index, f.rows!);
      // Cut short, or its connections were closed or refused in the crash window: whatever it concluded
      // (a miss, a row blocked by another requirement) is the crash's doing, charged to no requirement.
      else if (back) requeue.push(index);
      else if (!f.cut && f.rows!.every((r) => r.outcome === 'pass' || r.outcome === 'skipped')) this.finalize(index, f.rows!);
      else this.finalize(index, this.opts.blocked(index, crash, true));
    }
    if (back) {
      this.pending.unshift(...this.opts.slots.filter((s) => requeue.includes(s.index)).map((s) => s.index));
      this.lastUp = back;
    } else {
      this.gone = true;
      for (const index of this.pending.splice(0)) this.finalize(index, this.opts.blocked(index, crash, false));
    }
    this.down = undefined;
    this.opts.progress.setNote(undefined);
    this.watch.resume();
  }

  private get restarts(): Restarts {
    return { hub: this.opts.restart, node: this.opts.restartNode };
  }

  /**
   * Brings back what `downProbe` found down (its nodes with their own restart, else the hub with its
   * restart, else nothing) and waits for every node to answer again; undefined when they do not.
   */
  private async revive(crash: RunFinding, downProbe: HubProbe): Promise<HubProbe | undefined> {
    if (this.gone || this.findings.length > MAX_CRASHES) return undefined;
    const plan = revivePlan(downProbe, this.restarts);
    const down = whatWentDown(downProbe);
    const waitS = Math.round(this.opts.hubDownWaitMs / 1000);
    this.opts.progress.setNote(`${crash.id}: ${planText(plan, down, waitS)}`);
    await carryOut(plan, this.restarts, (message) =>
      this.opts.warn(`${crash.id}: the restart failed (${message}); waiting up to ${waitS} s for ${down} to answer`),
    );
    const deadline = performance.now() + this.opts.hubDownWaitMs;
    for (;;) {
      const p = await this.opts.probe();
      if (p.up) return p;
      if (performance.now() >= deadline) return undefined;
      await sleep(500);
    }
  }

  /** Runs one case with nothing else running, probing while it runs and after: did it take the hub down? */
  private async runAlone(index: number): Promise<{ rows: CaseResult[]; record: CaseRecord; probe: HubProbe; diedAt: number }> {
    const slot = this.opts.slots[index]!;
    const controller = new AbortController();
    let record: CaseRecord = { id: slot.id, startedAt: performance.now(), wire: [] };
    const since = performance.now();
    let downSeen: HubProbe | undefined;
    let running = true;
    const watching = (async () => {
      while (running && !downSeen) {
        await sleep(1000);
        if (!running) break;
        const p = await this.confirmedProbe();
        if (!p.up && running) {
          downSeen = p;
          controller.abort(new Error('the hub went down'));
        }
      }
    })();
    this.opts.progress.started(slot.id);
    const rows = await this.opts.runOne(index, {
      signal: controller.signal,
      onStart: (startedAt, wire) => (record = { id: slot.id, startedAt, wire }),
    });
    running = false;
    this.opts.progress.stopped(slot.id);
    await watching;
    const probe = downSeen ?? (await this.confirmedProbe());
    const diedAt = probe.up ? Infinity : Math.min(firstDistress([record], since)?.at ?? Infinity, probe.at);
    return { rows, record, probe, diedAt };
  }

  private slotOf(id: string): Slot {
    return this.opts.slots.find((s) => s.id === id)!;
  }
}

/** Exclusive cases first (registry order), then the rest longest deadline first (ties in registry order). */
export function startOrder(slots: readonly Slot[]): Slot[] {
  const exclusive = slots.filter((s) => s.exclusive);
  const shared = slots.filter((s) => !s.exclusive).sort((a, b) => b.expectedMs - a.expectedMs || a.index - b.index);
  return [...exclusive, ...shared];
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
