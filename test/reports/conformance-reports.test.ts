import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runConformance, type RunReport } from '../../conformance/runner.ts';
import type { Case } from '../../conformance/types.ts';
import { conformanceJunit } from '../../reports/junit.ts';
import { writeConformanceHtml } from '../../reports/conformance-html.ts';
import { writeConformanceJsonDir } from '../../reports/conformance-json.ts';
import { derived, req } from '../../spec/requirements/types.ts';

const CHROMIUM = '/usr/bin/chromium';
/** Said in the test name when the browser test cannot run. */
const NO_CHROMIUM = existsSync(CHROMIUM) ? '' : ' (skipped: /usr/bin/chromium is not installed)';

const REQS = [
  req('pusher/connection/1', 'MUST', 'A rule that passes in this report test.', 'test', derived('a fixture of this test')),
  req('pusher/auth/4', 'MUST', 'A rule that fails with <markup> & "quotes" in its output.', 'test', derived('a fixture of this test')),
  req('pusher/auth/9', 'SHOULD', 'A SHOULD rule skipped without --strict.', 'test', derived('a fixture of this test')),
  req('sync/ordering/1', 'MUST', 'A sync rule the pusher-only target lacks.', 'test', derived('a fixture of this test')),
];
const CASES: Case[] = [
  {
    requirement: 'pusher/connection/1',
    desc: 'Connects and logs a frame',
    run: async (ctx) => {
      ctx.log('>', 'ws#1', '{"event":"pusher:ping","data":{}}');
      ctx.log('<', 'ws#1', '{"event":"pusher:pong","data":"{}"}');
    },
  },
  {
    requirement: 'pusher/auth/4',
    desc: 'Sends a forged <auth> & expects "refusal"',
    run: async (ctx) => {
      ctx.log('<', 'ws#1', '{"event":"pusher_internal:subscription_succeeded","channel":"private-x"}\u0001');
      ctx.fail('hub accepted a forged <signature> & more', {
        expected: 'pusher:error 4009',
        actual: 'subscription_succeeded <private-x> & "ok"',
      });
    },
  },
  { requirement: 'pusher/auth/9', desc: 'A SHOULD case', run: async () => undefined },
  { requirement: 'sync/ordering/1', desc: 'A sync case', run: async () => undefined },
];

/**
 * A strict-enough XML 1.0 well-formedness check for what junit.ts emits: one root, balanced tags,
 * quoted attributes, only known entities, no raw `<` or `&` in text.
 */
function assertWellFormedXml(xml: string): void {
  expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n')).toBe(true);
  const body = xml.slice(xml.indexOf('?>') + 2);
  const token = /<(\/?)([A-Za-z_][\w.-]*)((?:\s+[A-Za-z_][\w.-]*="[^"<]*")*)\s*(\/?)>|([^<]+)/gy;
  const stack: string[] = [];
  let roots = 0;
  let pos = 0;
  for (let m = token.exec(body); m; m = token.exec(body)) {
    pos = token.lastIndex;
    const [, closing, name, attrs, selfClosing, text] = m;
    const checkEntities = (s: string) => expect(s.replace(/&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/g, '')).not.toMatch(/[&<]/);
    if (text !== undefined) {
      if (stack.length === 0) expect(text.trim()).toBe('');
      checkEntities(text);
      expect(text).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/);
      continue;
    }
    checkEntities(attrs ?? '');
    if (closing) {
      expect(stack.pop()).toBe(name);
    } else if (!selfClosing) {
      if (stack.length === 0) roots++;
      stack.push(name!);
    } else if (stack.length === 0) roots++;
  }
  expect(pos).toBe(body.length);
  expect(stack).toEqual([]);
  expect(roots).toBe(1);
}

let server: Server;
let report: RunReport;
const out = mkdtempSync(join(tmpdir(), 'hubproof-reports-'));
beforeAll(async () => {
  server = createServer((_q, res) => res.end('ok'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  report = await runConformance({
    target: {
      name: 'report <test> & co',
      profiles: ['pusher'],
      nodes: [{ ws: `ws://127.0.0.1:${port}`, http: `http://127.0.0.1:${port}` }],
      app: { id: '1', key: 'k', secret: 's' },
      agents: [],
    },
    cases: CASES,
    requirements: REQS,
    progress: null,
    seed: 99,
  });
});
afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
});

describe('JUnit report', () => {
  it('is well-formed XML with one testsuite per section and the right counts', () => {
    const xml = conformanceJunit(report);
    assertWellFormedXml(xml);
    expect(xml).toMatch(
      /<testsuites name="hubproof conformance: report &lt;test&gt; &amp; co" tests="4" failures="1" errors="0" skipped="2"/,
    );
    expect(xml.match(/<testsuite /g)).toHaveLength(3);
    expect(xml).toContain('<testsuite name="pusher/auth" tests="2" failures="1" errors="0" skipped="1"');
    expect(xml).toContain('<testcase name="pusher/auth/4#1" classname="pusher/auth"');
    expect(xml).toMatch(
      /<failure message="[^"]*Expected: pusher:error 4009 \| Actual: subscription_succeeded &lt;private-x&gt; &amp; &quot;ok&quot;"/,
    );
    expect(xml).toContain('<skipped message="skipped: SHOULD; run with --strict"/>');
    expect(xml).toMatch(/<skipped message="unimplemented: target does not implement the sync profile"\/>/);
  });
});

describe('JSON report', () => {
  it('writes index.json and one record per case with its wire log', () => {
    const index = JSON.parse(readFileSync(writeConformanceJsonDir(report, join(out, 'json')), 'utf8'));
    expect(index.summary).toMatchObject({ total: 4, pass: 1, fail: 1, skipped: 1, unimplemented: 1 });
    expect(index.seed).toBe(99);
    const pass = index.results.find((r: { id: string }) => r.id === 'pusher/connection/1#1');
    const record = JSON.parse(readFileSync(join(out, 'json', pass.record), 'utf8'));
    expect(record.wire.map((w: { dir: string }) => w.dir)).toEqual(['>', '<']);
  });
});

describe('HTML report', () => {
  it.skipIf(!existsSync(CHROMIUM))(`opens in headless Chromium and shows the per-requirement table${NO_CHROMIUM}`, async () => {
    const file = writeConformanceHtml(report, join(out, 'html'));
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--headless',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const external: string[] = [];
      page.on('request', (r) => !r.url().startsWith('file:') && external.push(r.url()));
      await page.goto(`file://${file}`);
      const rows = page.locator('#requirements tbody tr');
      expect(await rows.count()).toBe(4);
      for (let i = 0; i < 4; i++) expect(await rows.nth(i).isVisible()).toBe(true);
      expect(await page.locator('#requirements tr[data-outcome="fail"] td').first().textContent()).toBe('pusher/auth/4');
      const failure = await page.locator('.failure pre').first().textContent();
      expect(failure).toContain('Actual:   subscription_succeeded <private-x> & "ok"');
      expect(await page.locator('#summary').textContent()).toMatch(/4\s*cases/);
      // The wire log is folded away until opened.
      const log = page.locator('#cases details').first();
      expect(await log.locator('pre').isVisible()).toBe(false);
      await log.locator('summary').click();
      expect(await log.locator('pre').isVisible()).toBe(true);
      const shot = join(out, 'conformance-report.png');
      await page.screenshot({ path: shot, fullPage: true });
      expect(statSync(shot).size).toBeGreaterThan(10_000);
      expect(external).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
