/**
 * Worker thread entry of the page fleet (see fleet-host.ts): one PageFleet, driven by request messages
 * `{id, op, …}` and answered `{id, ok, value}` or `{id, ok: false, error: {code, message}}`.
 */
import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import { BROWSER_NICE } from './chromium.ts';
import { PageFleet, type FleetOpen } from './page-fleet.ts';
import type { PhaseWindow } from './page-samples.ts';

export type FleetRequest =
  | { id: number; op: 'open'; open: FleetOpen }
  | { id: number; op: 'prepare' }
  | { id: number; op: 'start' }
  | { id: number; op: 'finish'; window: PhaseWindow; sentInWindow: number }
  | { id: number; op: 'close' };

export type FleetReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: { code?: string; message: string } };

const port = parentPort!;
try {
  // Playwright's side of the browser traffic (a CDP event per WebSocket frame of every page) yields to the
  // driver too; Linux priorities are per thread, so this lowers this thread only.
  setPriority(BROWSER_NICE);
} catch {
  // Not permitted: it runs at the driver's priority.
}

let fleet: PageFleet | undefined;

async function handle(m: FleetRequest): Promise<unknown> {
  switch (m.op) {
    case 'open':
      fleet = await PageFleet.open(m.open);
      return undefined;
    case 'prepare':
      return fleet!.prepare();
    case 'start':
      fleet!.startDraining();
      return undefined;
    case 'finish':
      return fleet!.finish(m.window, m.sentInWindow);
    case 'close':
      await fleet?.close();
      fleet = undefined;
      return undefined;
  }
}

port.on('message', (m: FleetRequest) => {
  handle(m).then(
    (value) => port.postMessage({ id: m.id, ok: true, value } satisfies FleetReply),
    (err: Error & { code?: string }) =>
      port.postMessage({ id: m.id, ok: false, error: { code: err.code, message: err.message } } satisfies FleetReply),
  );
});
