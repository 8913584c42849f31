/**
 * Mutant dashboards: the reference hub's /dashboard page with one rule of the presence-client profile
 * broken, by rewriting one of its scripts as Chromium loads it (a Playwright route, dashboard-page.ts).
 * Each patch replaces one exact piece of the page's code; a test checks every piece is still there, so a
 * change of the page cannot quietly turn a mutant into the real page. Data, shared by the self-test and
 * the score.
 */
import type { PageTransform } from '../../conformance/client/dashboard/dashboard-page.ts';

export interface DashboardMutant {
  name: string;
  /** The requirement it violates; the suite must miss exactly this one. */
  breaks: string;
  /** What the page does wrong, one sentence. */
  describe: string;
  /** The script it rewrites (a file name of the page) and the piece of code it replaces. */
  file: string;
  from: string;
  to: string;
}

export const DASHBOARD_MUTANTS: readonly DashboardMutant[] = [
  {
    name: 'tight-loop',
    breaks: 'presence-client/reconnect/2',
    describe: 'reconnects 20 ms after every drop, however often it fails',
    file: 'connection.js',
    from: 'const delay = retryDelay(this.attempt);',
    to: 'const delay = 20;',
  },
  {
    name: 'never-catches-up',
    breaks: 'presence-client/catch-up/2',
    describe: 'reads GET /api/presence after the first connect only, so what changed while it was away stays stale',
    file: 'connection.js',
    from: 'this.catchUp(ws);',
    to: "if ((this.opens = (this.opens ?? 0) + 1) === 1) this.catchUp(ws); else this.o.onState({ state: 'live' });",
  },
  {
    name: 'duplicate-rows',
    breaks: 'presence-client/updates/2',
    describe: 'forgets which cards it made on every drop, so each reconnect adds a second row per agent',
    file: 'app.js',
    from: 'function onState(s) {',
    to: "function onState(s) {\n  if (s.state === 'reconnecting') { view.cards.clear(); board.agents.clear(); }",
  },
  {
    name: 'stops-after-drop',
    breaks: 'presence-client/reconnect/1',
    describe: 'shows "reconnecting" after a drop but never connects again',
    file: 'connection.js',
    from: 'this.retryTimer = setTimeout(() => this.connect(), delay);',
    to: '/* mutant: no retry */',
  },
  {
    name: 'retries-refused-token',
    breaks: 'presence-client/refusal/1',
    describe: 'connects again 50 ms after the hub closes the stream with 1008',
    file: 'connection.js',
    from: 'if (code === CLOSE_POLICY_VIOLATION)',
    to: 'if (code === CLOSE_POLICY_VIOLATION) return void (this.retryTimer = setTimeout(() => this.connect(), 50));\n    if (false)',
  },
  {
    name: 'retries-401',
    breaks: 'presence-client/refusal/2',
    describe: 'asks GET /api/presence again every 50 ms after a 401',
    file: 'connection.js',
    from: "if (err instanceof Unauthorized) this.refuse('unauthorized', err.message);",
    to: 'if (err instanceof Unauthorized) return void setTimeout(() => this.catchUp(ws), 50);',
  },
  {
    name: 'applies-any-type',
    breaks: 'presence-client/robustness/1',
    describe: 'applies any message that carries a presence, whatever its type',
    file: 'board.js',
    from: "u.type === 'presence_update' &&",
    to: '',
  },
];

/** The page transform of a mutant: its one patch, applied to its one file. */
export function mutantTransform(m: DashboardMutant): PageTransform {
  return (path, body) => {
    if (!path.endsWith(`/${m.file}`)) return undefined;
    if (!body.includes(m.from)) throw new Error(`mutant ${m.name}: ${m.file} no longer holds ${JSON.stringify(m.from)}`);
    return body.replace(m.from, m.to);
  };
}
