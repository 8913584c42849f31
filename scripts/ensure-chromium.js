#!/usr/bin/env node
// Installs Debian's Chromium for the report screenshot tests when it is missing and we may (root + apt-get).
// Never fails the test run: without Chromium those tests skip and say why.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const CHROMIUM = '/usr/bin/chromium';
if (existsSync(CHROMIUM) || process.env.HUBPROOF_NO_CHROMIUM_INSTALL) process.exit(0);
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const hasApt = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
if (!isRoot || !hasApt) {
  console.log('ensure-chromium: /usr/bin/chromium missing and apt-get unavailable; browser tests will skip');
  process.exit(0);
}
console.log('ensure-chromium: installing Debian chromium for the report screenshot tests (about a minute)…');
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
for (const args of [['update', '-qq'], ['install', '-y', '-qq', '--no-install-recommends', 'chromium']]) {
  const r = spawnSync('apt-get', args, { stdio: ['ignore', 'ignore', 'inherit'], env });
  if (r.status !== 0) {
    console.log(`ensure-chromium: apt-get ${args[0]} failed (exit ${r.status}); browser tests will skip`);
    process.exit(0);
  }
}
console.log(`ensure-chromium: ${existsSync(CHROMIUM) ? 'installed' : 'install finished but chromium not found; browser tests will skip'}`);
