/**
 * Builds the context a dashboard case runs with: the client cases' wire log and check helpers, deferred
 * cleanup, and the starters of the case's scripted stream and page.
 */
import type { Browser } from 'playwright-core';
import { createClientContext } from '../client-context.ts';
import type { ScriptedHarness } from '../run-client-case.ts';
import type { DashboardCaseContext } from './dashboard-case.ts';
import { DashboardPage, type PageTransform } from './dashboard-page.ts';
import type { PageSource } from './page-source.ts';
import { PresenceStream } from './presence-stream.ts';

export interface DashboardEnv {
  browser: Browser;
  page: PageSource;
  transform?: PageTransform | undefined;
}

export function createDashboardContext(
  init: { requirements: readonly string[]; signal: AbortSignal },
  env: DashboardEnv,
): ScriptedHarness<DashboardCaseContext> {
  // The client context brings the clock, wire log, checks and cleanup; its driver is never started.
  const base = createClientContext({ ...init, driver: { label: 'dashboard', argv: [], shell: false, replayFlags: [] } });
  const { startHub: _hub, startDriver: _driver, ...common } = base.ctx;
  const ctx: DashboardCaseContext = {
    ...common,
    async startStream() {
      const stream = await PresenceStream.start({ now: common.now, log: common.log, signal: init.signal, page: env.page });
      common.defer(() => stream.close());
      common.log('note', 'stream', `scripted presence stream on http://127.0.0.1:${stream.port} (page from ${env.page.label})`);
      return stream;
    },
    async openPage(stream) {
      const page = await DashboardPage.open(env.browser, stream.pageUrl, {
        log: common.log,
        signal: init.signal,
        transform: env.transform,
      });
      common.defer(() => page.close());
      return page;
    },
  };
  return { ctx, wire: base.wire, cleanup: base.cleanup };
}
