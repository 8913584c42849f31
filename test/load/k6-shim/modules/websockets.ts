/** Stand-in for k6/websockets: the event-handler WebSocket over the `ws` client, pending until closed. */
import { workerData } from 'node:worker_threads';
import { WebSocket as Ws } from 'ws';
import { hold, release } from './state.ts';

/** Test knob: CPU each received frame costs the VU, ms (0 = none): a generator made too slow on purpose. */
const FRAME_COST_MS = Number((workerData as { env?: Record<string, string> } | undefined)?.env?.HP_SHIM_FRAME_COST_MS ?? 0);

function spend(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

export class WebSocket {
  onopen: () => void = () => undefined;
  onmessage: (event?: { data: string }) => void = () => undefined;
  onerror: (event?: { error: string }) => void = () => undefined;
  onclose: () => void = () => undefined;
  private readonly ws: Ws;

  constructor(url: string) {
    hold();
    let closed = false;
    this.ws = new Ws(url, { perMessageDeflate: false });
    this.ws.on('open', () => this.onopen());
    this.ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      if (FRAME_COST_MS > 0) spend(FRAME_COST_MS);
      this.onmessage({ data: data.toString() });
    });
    this.ws.on('error', (err) => this.onerror({ error: err.message }));
    this.ws.on('close', () => {
      if (closed) return;
      closed = true;
      try {
        this.onclose();
      } finally {
        release();
      }
    });
  }

  get readyState(): number {
    return this.ws.readyState;
  }

  send(data: string): void {
    if (this.ws.readyState === Ws.OPEN) this.ws.send(data);
  }

  close(): void {
    if (this.ws.readyState === Ws.CONNECTING) this.ws.terminate();
    else this.ws.close();
  }
}
