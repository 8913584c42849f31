// Installs a Debian package for tests that need a real program (Chromium, redis-server) when it is
// missing and we may (root + apt-get). Never fails the test run: without it those tests skip and say why.
import { spawnSync } from 'node:child_process';

export const onPath = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;

/**
 * @param {{ tag: string, pkg: string, present: () => boolean, skipEnv: string, tests: string, note?: string }} o
 * @returns {boolean} whether an install was attempted and the program is now there
 */
export function ensureDebianPackage(o) {
  if (o.present() || process.env[o.skipEnv]) return false;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot || !onPath('apt-get')) {
    console.log(`${o.tag}: ${o.pkg} missing and apt-get unavailable; ${o.tests} will skip`);
    return false;
  }
  console.log(`${o.tag}: installing Debian ${o.pkg} for the ${o.tests}${o.note ?? ''}…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [
    ['update', '-qq'],
    ['install', '-y', '-qq', '--no-install-recommends', o.pkg],
  ]) {
    const r = spawnSync('apt-get', args, { stdio: ['ignore', 'ignore', 'inherit'], env });
    if (r.status !== 0) {
      console.log(`${o.tag}: apt-get ${args[0]} failed (exit ${r.status}); ${o.tests} will skip`);
      return false;
    }
  }
  const ok = o.present();
  console.log(`${o.tag}: ${ok ? 'installed' : `install finished but ${o.pkg} not found; ${o.tests} will skip`}`);
  return ok;
}
