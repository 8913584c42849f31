#!/usr/bin/env node
// Installs Debian's redis-server for the cluster tests when it is missing and we may (root + apt-get).
// Never fails the test run: without redis-server those tests skip and say why. Only the binary is used
// (each test starts its own on a free loopback port); a service the package started is stopped.
import { spawnSync } from 'node:child_process';
import { ensureDebianPackage, onPath } from './apt-ensure.js';

const installed = ensureDebianPackage({
  tag: 'ensure-redis',
  pkg: 'redis-server',
  present: () => onPath('redis-server'),
  skipEnv: 'HUBPROOF_NO_REDIS_INSTALL',
  tests: 'cluster tests',
});
if (installed) spawnSync('sh', ['-c', 'service redis-server stop >/dev/null 2>&1 || true'], { stdio: 'ignore' });
