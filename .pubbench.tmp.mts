// Publisher CPU per request: RawHttpClient from TREE publishing signed events at RATE/s for SECONDS against TARGET (keep-alive hub).
import { readFileSync } from 'node:fs';
const [tree, targetFile, rate, seconds] = [process.argv[2]!, process.argv[3]!, Number(process.argv[4] ?? 2000), Number(process.argv[5] ?? 5)];
const { RawHttpClient } = await import(`${tree}/load/driver/raw-http-client.ts`);
const { signHttpRequest } = await import(`${tree}/spec/protocol/index.ts`);
const target = JSON.parse(readFileSync(targetFile, 'utf8'));
const c = new RawHttpClient({ base: target.nodes[0].http, maxSockets: Math.ceil(rate / 20) });
const path = `/apps/${target.app.id}/events`;
let ok = 0, bad = 0, sent = 0;
const t0 = performance.now();
const cpu0 = process.cpuUsage();
await new Promise<void>((done) => {
  const tick = () => {
    const due = Math.floor(((performance.now() - t0) / 1000) * rate);
    while (sent < due && sent < rate * seconds) {
      const body = JSON.stringify({ name: 'hp-load', channel: `bench-${sent % 10}`, data: `hp|${sent % 10}|${sent}|0|0|` });
      const query = signHttpRequest(target.app, { method: 'POST', path, body });
      sent++;
      c.request('POST', path, { query, body }).then((r: { status: number }) => (r.status === 200 ? ok++ : bad++));
    }
    if (sent >= rate * seconds) return done();
    setTimeout(tick, 1);
  };
  tick();
});
while (ok + bad < sent && performance.now() - t0 < (seconds + 5) * 1000) await new Promise((r) => setTimeout(r, 10));
const cpu = process.cpuUsage(cpu0);
console.log(JSON.stringify({ tree: tree.includes('base') ? 'before' : 'after', rate, sent, ok, bad, usPerRequest: Math.round(((cpu.user + cpu.system) / sent) * 10) / 10, userUs: Math.round((cpu.user / sent) * 10) / 10 }));
c.close();
process.exit(0);
