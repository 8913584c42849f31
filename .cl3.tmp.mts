import { readFileSync } from 'node:fs';
import { RawHttpClient } from './load/driver/raw-http-client.ts';
import { signHttpRequest } from './spec/protocol/index.ts';
const target = JSON.parse(readFileSync(process.argv[2]!, 'utf8'));
const c = new RawHttpClient({ base: target.nodes[0].http, maxSockets: 4 });
c.ensureSockets(25);
const path = `/apps/${target.app.id}/events`;
const lat: number[] = [];
const ps: Promise<unknown>[] = [];
const t0 = performance.now();
let sent = 0;
await new Promise<void>((done) => {
  const tick = () => {
    const due = Math.floor((performance.now() - t0) / 2);
    while (sent < due && sent < 2000) {
      const body = JSON.stringify({ name: 'x', channel: 'c', data: `d${sent}` });
      const at = t0 + sent * 2;
      ps.push(c.request('POST', path, { query: signHttpRequest(target.app, { method: 'POST', path, body }), body }).then((r) => { lat.push(performance.now() - at); return r; }));
      sent++;
    }
    if (sent >= 2000) return done();
    setTimeout(tick, 1);
  };
  tick();
});
await Promise.all(ps);
lat.sort((a, b) => a - b);
console.log(process.argv[3], 'p50', lat[1000]!.toFixed(1), 'p99', lat[1980]!.toFixed(1), 'fail', c.failures, 'retries', c.retries, 'limit', c.reuseLimit, 'maxInFlight', c.maxInFlight);
c.close(); process.exit(0);
