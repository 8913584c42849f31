#!/usr/bin/env node
// Installs Debian's redis-server for the cluster tests when it is missing and we may (root + apt-get).
// Never fails the test run: without redis-server those tests skip and say why. Only the binary is
// used (each test starts its own on a free loopback port); the service the package enables is stopped.
import { spawnSync } from 'node:child_process';

const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
if (has('redis-server') || process.env.HUBPROOF_NO_REDIS_INSTALL) process.exit(0);
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
if (!isRoot || !has('apt-get')) {
  console.log('ensure-redis: redis-server missing and apt-get unavailable; cluster tests will skip');
  process.exit(0);
}
console.log('ensure-redis: installing Debian redis-server for the cluster tests…');
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
for (const args of [['update', '-qq'], ['install', '-y', '-qq', '--no-install-recommends', 'redis-server']]) {
  const r = spawnSync('apt-get', args, { stdio: ['ignore', 'ignore', 'inherit'], env });
  if (r.status !== 0) {
    console.log(`ensure-redis: apt-get ${args[0]} failed (exit ${r.status}); cluster tests will skip`);
    process.exit(0);
  }
}
// Where the package started its own service anyway, stop it: tests run private servers only.
spawnSync('sh', ['-c', 'service redis-server stop >/dev/null 2>&1 || true'], { stdio: 'ignore' });
console.log(`ensure-redis: ${has('redis-server') ? 'installed' : 'install finished but redis-server not found; cluster tests will skip'}`);
