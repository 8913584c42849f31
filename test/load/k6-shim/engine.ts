/**
 * A small stand-in for `k6 run`, enough to run hubproof's k6 scripts in Node against real hubs on loopback:
 * setup(), per-vu-iterations and constant-arrival-rate scenarios (dropped iterations counted as k6 counts
 * them), Counter/Trend aggregation, threshold expressions, handleSummary with its files, exit code 99 on a
 * failed threshold. Each VU is a worker thread with its own copy of the script's modules; `k6/*` imports
 * resolve to ./modules (hooks.mjs). It is a test fixture, not a k6: no ramping executors, no tags.
 */
import http from 'node:http';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve as resolvePath } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { build, type Plugin } from 'esbuild';

const HTTP_BUFFER = 256 * 1024;
const SPARE_VUS = 3;
const SHIM = new URL('.', import.meta.url);
const K6_MODULES = new Set(['k6', 'k6/execution', 'k6/metrics', 'k6/timers', 'k6/websockets', 'k6/http', 'k6/crypto']);

/**
 * `k6/<name>` → ./modules/<name>.ts, and import.meta.resolve(x) → a resolve against the file it is
 * written in (bundling would otherwise make it relative to the bundle).
 */
const k6Plugin: Plugin = {
  name: 'k6-stand-in',
  setup(b) {
    b.onResolve({ filter: /^k6(\/|$)/ }, (args) => {
      if (!K6_MODULES.has(args.path))
        return { errors: [{ text: `unknown module: ${args.path} (the k6 stand-in provides ${[...K6_MODULES].join(', ')})` }] };
      return { path: new URL(`modules/${args.path === 'k6' ? 'k6' : args.path.slice(3)}.ts`, SHIM).pathname };
    });
    b.onLoad({ filter: /\.ts$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      if (!text.includes('import.meta.resolve(')) return undefined;
      return {
        contents: text.replaceAll('import.meta.resolve(', `__hpResolve(${JSON.stringify(pathToFileURL(args.path).href)}, `),
        loader: 'ts',
      };
    });
  },
};

/** A temp folder beside node_modules, so the bundle's own imports (ws) resolve. */
function bundleDir(): string {
  const cache = new URL('../../../node_modules/.cache/', import.meta.url).pathname;
  mkdirSync(cache, { recursive: true });
  return mkdtempSync(join(cache, 'hubproof-k6-shim-'));
}

/** One ES module holding the globals, the script and the VU runtime, loaded by every VU worker. */
async function bundle(script: string, dir: string): Promise<string> {
  const entry = join(dir, 'entry.ts');
  writeFileSync(
    entry,
    `import ${JSON.stringify(new URL('globals.ts', SHIM).pathname)};\nimport * as script from ${JSON.stringify(script)};\nimport { runVu } from ${JSON.stringify(new URL('vu-runtime.ts', SHIM).pathname)};\nrunVu(script as Record<string, unknown>);\n`,
  );
  const out = join(dir, 'bundle.mjs');
  await build({
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    platform: 'node',
    packages: 'external',
    outfile: out,
    plugins: [k6Plugin],
    logLevel: 'silent',
  });
  return out;
}

interface MetricAgg {
  type: 'counter' | 'trend' | 'rate' | 'gauge';
  isTime: boolean;
  sum: number;
  values: number[];
}

export interface K6RunResult {
  code: number;
  stdout: string;
  /** Files handleSummary asked for, path → content (also written under `cwd`). */
  files: Record<string, string>;
  options: Record<string, any>;
  /** Aggregated metric values as handleSummary saw them. */
  metrics: Record<string, { values: Record<string, number> }>;
  /** Errors thrown by iterations (first few). */
  errors: string[];
}

interface VuReady {
  options: Record<string, any>;
  declared: Array<[string, { type: MetricAgg['type']; isTime: boolean }]>;
  exports: string[];
  /** The script's exported data. */
  values: Record<string, any>;
}

class Vu {
  readonly worker: Worker;
  busy = false;
  private readonly control: Int32Array;
  private readonly bytes: Uint8Array;
  readonly ready: Promise<VuReady>;
  private onDone: ((m: { result: unknown; error?: string }) => void) | undefined;
  private onSummary: ((out: Record<string, string>) => void) | undefined;
  private onFlushed: (() => void) | undefined;

  constructor(
    bundled: string,
    script: string,
    env: Record<string, string>,
    readonly id: number,
    testStartMs: number,
    metrics: Map<string, MetricAgg>,
    agent: http.Agent,
  ) {
    const shared = new SharedArrayBuffer(12 + HTTP_BUFFER);
    this.control = new Int32Array(shared, 0, 3);
    this.bytes = new Uint8Array(shared, 12);
    this.worker = new Worker(
      `import(${JSON.stringify(pathToFileURL(bundled).href)}).catch((e) => require('node:worker_threads').parentPort.postMessage({ type: 'init-error', message: e.message }))`,
      { eval: true, workerData: { script, env, vuId: id, testStartMs, http: shared } },
    );
    this.ready = new Promise((resolve, reject) => {
      this.worker.on('error', reject);
      this.worker.on('message', (m: any) => {
        if (m.type === 'ready') resolve(m);
        else if (m.type === 'init-error') reject(new Error(`VU ${id} init: ${m.message}`));
        else if (m.type === 'samples') {
          for (const [name, s] of m.samples as Array<[string, MetricAgg]>) {
            const agg = metrics.get(name) ?? { type: s.type, isTime: s.isTime, sum: 0, values: [] };
            agg.sum += s.sum;
            for (const v of s.values) agg.values.push(v);
            metrics.set(name, agg);
          }
        } else if (m.type === 'done') this.onDone?.(m);
        else if (m.type === 'summary') this.onSummary?.(m.out);
        else if (m.type === 'flushed') this.onFlushed?.();
        else if (m.type === 'http') this.http(m, agent);
      });
    });
  }

  /** The VU's synchronous request, done here; its answer (status 0 on error or after 10 s) wakes the VU. */
  private http(m: { method: string; url: string; body: string | null; headers: Record<string, string> }, agent: http.Agent): void {
    let answered = false;
    const answer = (status: number, body: Buffer): void => {
      if (answered) return;
      answered = true;
      const n = Math.min(body.length, HTTP_BUFFER);
      this.bytes.set(body.subarray(0, n));
      Atomics.store(this.control, 1, status);
      Atomics.store(this.control, 2, n);
      Atomics.store(this.control, 0, 1);
      Atomics.notify(this.control, 0);
    };
    const fail = (): void => answer(0, Buffer.alloc(0));
    const req = http.request(m.url, { method: m.method, headers: m.headers, agent, timeout: 10_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => answer(res.statusCode ?? 0, Buffer.concat(chunks)));
      res.on('error', fail);
    });
    req.on('timeout', () => req.destroy(new Error('no answer')));
    req.on('error', fail);
    req.end(m.body ?? undefined);
  }

  iterate(exec: string, scenario: string, iteration: number, data: unknown): Promise<{ result: unknown; error?: string }> {
    this.busy = true;
    return new Promise((resolve) => {
      this.onDone = (m) => {
        this.busy = false;
        this.onDone = undefined;
        resolve(m);
      };
      this.worker.postMessage({ type: 'iterate', exec, scenario, iteration, data });
    });
  }

  flush(): Promise<void> {
    return new Promise((resolve) => {
      this.onFlushed = resolve;
      this.worker.postMessage({ type: 'flush' });
    });
  }

  summary(data: unknown): Promise<Record<string, string>> {
    return new Promise((resolve) => {
      this.onSummary = resolve;
      this.worker.postMessage({ type: 'summary', data });
    });
  }
}

/** The script's init as one VU sees it: k6 options and exported data (the scenario it would run). */
export async function inspectK6(
  script: string,
  env: Record<string, string>,
): Promise<{ options: Record<string, any>; values: Record<string, any> }> {
  const dir = bundleDir();
  const agent = new http.Agent();
  const vu = new Vu(await bundle(script, dir), script, env, 1, Date.now(), new Map(), agent);
  try {
    const r = await vu.ready;
    return { options: r.options, values: r.values };
  } finally {
    await vu.worker.terminate();
    agent.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `2s`, `1500ms`, `1m` → ms. */
function durationMs(d: string | undefined, fallback: number): number {
  if (!d) return fallback;
  const m = /^([\d.]+)(ms|s|m)$/.exec(d);
  if (!m) throw new Error(`the k6 stand-in cannot read the duration "${d}"`);
  return Number(m[1]) * (m[2] === 'ms' ? 1 : m[2] === 's' ? 1000 : 60_000);
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  return sorted[lo]! + (sorted[Math.min(lo + 1, sorted.length - 1)]! - sorted[lo]!) * (rank - lo);
}

function values(agg: MetricAgg, testS: number, trendStats: string[]): Record<string, number> {
  if (agg.type === 'counter') return { count: agg.sum, rate: agg.sum / Math.max(testS, 0.001) };
  const v = [...agg.values].sort((a, b) => a - b);
  if (agg.type === 'rate') {
    const passes = v.filter((x) => x !== 0).length;
    return { rate: v.length ? passes / v.length : 0, passes, fails: v.length - passes };
  }
  if (agg.type === 'gauge') return { value: agg.values.at(-1) ?? 0, min: v[0] ?? 0, max: v.at(-1) ?? 0 };
  const out: Record<string, number> = {};
  for (const stat of trendStats) {
    const p = /^p\(([\d.]+)\)$/.exec(stat);
    if (p) out[stat] = percentile(v, Number(p[1]));
    else if (stat === 'avg') out.avg = v.length ? v.reduce((a, b) => a + b, 0) / v.length : 0;
    else if (stat === 'min') out.min = v[0] ?? 0;
    else if (stat === 'max') out.max = v.at(-1) ?? 0;
    else if (stat === 'med') out.med = percentile(v, 50);
    else if (stat === 'count') out.count = v.length;
  }
  return out;
}

/** `count<1`, `p(99)<50`, `rate>=1` → ok? */
export function thresholdHolds(expr: string, v: Record<string, number>): boolean {
  const m = /^\s*(\w+|p\([\d.]+\))\s*(<=|>=|<|>|===|==|!=)\s*(-?[\d.]+)\s*$/.exec(expr);
  if (!m) throw new Error(`the k6 stand-in cannot read the threshold "${expr}"`);
  const actual = v[m[1]!] ?? 0;
  const limit = Number(m[3]);
  switch (m[2]) {
    case '<':
      return actual < limit;
    case '<=':
      return actual <= limit;
    case '>':
      return actual > limit;
    case '>=':
      return actual >= limit;
    case '!=':
      return actual !== limit;
    default:
      return actual === limit;
  }
}

export async function runK6(script: string, env: Record<string, string>, o: { cwd?: string } = {}): Promise<K6RunResult> {
  const metrics = new Map<string, MetricAgg>();
  const dir = bundleDir();
  const bundled = await bundle(script, dir);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const vus: Vu[] = [];
  const errors: string[] = [];
  let nextId = 1;
  let testStartMs = Date.now();
  const start = async (): Promise<Vu> => {
    const vu = new Vu(bundled, script, env, nextId++, testStartMs, metrics, agent);
    await vu.ready;
    return vu;
  };
  const spawn = async (): Promise<Vu> => {
    const vu = await start();
    vus.push(vu);
    return vu;
  };
  /** VUs started during the run (k6's maxVUs): awaited before the bundle they load is removed. */
  const late: Array<Promise<void>> = [];
  const note = (r: { error?: string }): void => {
    if (r.error && errors.length < 5) errors.push(r.error);
  };
  try {
    // VUs take a while to start: start a few spares beside the first, before its options say how many are needed.
    const spares = Array.from({ length: SPARE_VUS }, () => start());
    // A spare that fails to start rejects for whoever claims it; unclaimed, its failure is nobody's.
    for (const spare of spares) spare.catch(() => undefined);
    const claim = async (): Promise<Vu> => {
      const spare = spares.shift();
      if (!spare) return spawn();
      const vu = await spare;
      vus.push(vu);
      return vu;
    };
    const first = await spawn();
    const { options, declared, exports } = await first.ready;
    for (const [name, d] of declared) if (!metrics.has(name)) metrics.set(name, { ...d, sum: 0, values: [] });
    metrics.set('dropped_iterations', { type: 'counter', isTime: false, sum: 0, values: [] });
    let data: unknown;
    if (exports.includes('setup')) {
      const setup = await first.iterate('setup', 'setup', 0, undefined);
      if (setup.error) throw new Error(`setup() failed: ${setup.error}`);
      data = setup.result;
    }

    const scenarios = Object.entries((options.scenarios ?? {}) as Record<string, any>);
    // k6 initializes every VU before the test starts.
    const pools = new Map<string, Vu[]>(
      await Promise.all(
        scenarios.map(async ([name, s]) => {
          const n = s.executor === 'per-vu-iterations' ? (s.vus ?? 1) : (s.preAllocatedVUs ?? 1);
          return [name, await Promise.all(Array.from({ length: n }, () => claim()))] as const;
        }),
      ),
    );
    for (const spare of spares) late.push(spare.then((v) => void v.worker.terminate()));
    testStartMs = Date.now();
    for (const vu of vus) vu.worker.postMessage({ type: 'start', testStartMs });
    const dropped = metrics.get('dropped_iterations')!;

    const runs = scenarios.map(async ([name, s]) => {
      await new Promise((r) => setTimeout(r, durationMs(s.startTime, 0)));
      const pool = pools.get(name)!;
      if (s.executor === 'per-vu-iterations') {
        const maxMs = durationMs(s.maxDuration, 600_000) + 30_000;
        await Promise.all(
          pool.map((vu, k) =>
            Promise.race([
              vu.iterate(s.exec ?? 'default', name, k, data).then(note),
              new Promise<void>((r) => setTimeout(r, maxMs).unref()),
            ]),
          ),
        );
        return;
      }
      if (s.executor !== 'constant-arrival-rate') throw new Error(`the k6 stand-in has no ${s.executor} executor`);
      const intervalMs = durationMs(s.timeUnit, 1000) / s.rate;
      const endMs = durationMs(s.duration, 0);
      const started = Date.now();
      const inFlight: Array<Promise<void>> = [];
      let spawning = 0;
      for (let i = 0; i * intervalMs < endMs; i++) {
        const wait = started + i * intervalMs - Date.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        const vu = pool.find((v) => !v.busy);
        if (!vu) {
          dropped.sum++;
          if (pool.length + spawning < (s.maxVUs ?? pool.length)) {
            spawning++;
            late.push(
              spawn().then(
                (v) => {
                  spawning--;
                  v.worker.postMessage({ type: 'start', testStartMs });
                  pool.push(v);
                },
                (e: Error) => note({ error: `a VU started during the run failed: ${e.message}` }),
              ),
            );
          }
          continue;
        }
        inFlight.push(vu.iterate(s.exec ?? 'default', name, i, data).then(note));
      }
      await Promise.all(inFlight);
    });
    await Promise.all(runs);

    const testS = (Date.now() - testStartMs) / 1000;
    const trendStats = (options.summaryTrendStats as string[] | undefined) ?? ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)'];
    // A VU that died cannot answer: give up on its last samples after a second rather than hang.
    await Promise.all(vus.map((v) => Promise.race([v.flush(), new Promise<void>((r) => setTimeout(r, 1000).unref())])));
    const summaryMetrics: Record<string, { type: string; values: Record<string, number>; thresholds?: Record<string, { ok: boolean }> }> =
      {};
    for (const [name, agg] of metrics) summaryMetrics[name] = { type: agg.type, values: values(agg, testS, trendStats) };
    let failed = false;
    for (const [name, exprs] of Object.entries((options.thresholds ?? {}) as Record<string, string[]>)) {
      const m = summaryMetrics[name] ?? { type: 'counter', values: { count: 0, rate: 0 } };
      m.thresholds = {};
      for (const e of exprs) {
        const ok = thresholdHolds(e, m.values);
        m.thresholds[e] = { ok };
        if (!ok) failed = true;
      }
      summaryMetrics[name] = m;
    }
    const out = await first.summary({ metrics: summaryMetrics, state: { testRunDurationMs: testS * 1000 }, options });
    const files: Record<string, string> = {};
    let stdout = '';
    for (const [key, content] of Object.entries(out)) {
      if (key === 'stdout') stdout += content;
      else if (key !== 'stderr') {
        files[key] = content;
        writeFileSync(resolvePath(o.cwd ?? process.cwd(), key), content);
      }
    }
    return { code: failed ? 99 : 0, stdout, files, options, metrics: summaryMetrics, errors };
  } finally {
    // A VU still starting would read the bundle after it is gone (and reject with nobody listening).
    await Promise.allSettled(late);
    agent.destroy();
    await Promise.all(vus.map((v) => v.worker.terminate()));
    rmSync(dir, { recursive: true, force: true });
  }
}
