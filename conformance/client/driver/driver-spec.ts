/**
 * Which client runs: `--driver pusher-js` (default) or `laravel-echo` start the shipped driver with
 * `node`; any other value is a command line run through the shell, speaking the driver protocol. A
 * shipped driver takes `--client-path DIR` (another installed copy of its library); a command gets none.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { HubproofError } from '../../../spec/errors.ts';

export const SHIPPED_DRIVERS = {
  'pusher-js': fileURLToPath(new URL('../drivers/pusher-js-driver.mjs', import.meta.url)),
  'laravel-echo': fileURLToPath(new URL('../drivers/laravel-echo-driver.mjs', import.meta.url)),
  /** hubproof's reference agent (profile sync-client), speaking the agent driver protocol. */
  'reference-agent': fileURLToPath(new URL('../drivers/reference-agent-driver.mjs', import.meta.url)),
} as const;
export type ShippedDriver = keyof typeof SHIPPED_DRIVERS;

export interface DriverSpec {
  /** `pusher-js`, `laravel-echo`, or the command as given. */
  label: string;
  /** Spawned as is (argv), or through the shell when `shell`. */
  argv: string[];
  shell: boolean;
  /** Replay flags that reproduce this choice on the command line. */
  replayFlags: string[];
}

export function isShipped(name: string): name is ShippedDriver {
  return Object.hasOwn(SHIPPED_DRIVERS, name);
}

/** Resolves `--driver` and `--client-path`; a bad combination is a usage error (exit 2). */
export function driverSpec(driver = 'pusher-js', clientPath?: string): DriverSpec {
  if (driver.trim() === '') throw new HubproofError('HUBPROOF_ERR_USAGE', '--driver is empty; give pusher-js, laravel-echo or a command');
  // The dashboard page runs in Chromium (conformance/client/dashboard/), not as a driver process.
  if (driver === 'dashboard')
    throw new TypeError('--driver dashboard is the page in Chromium, not a driver process: run it with runDashboardConformance');
  if (!isShipped(driver)) {
    if (clientPath !== undefined)
      throw new HubproofError(
        'HUBPROOF_ERR_USAGE',
        `--client-path works with the shipped drivers (pusher-js, laravel-echo); pass it to your own driver command instead`,
      );
    return { label: driver, argv: [driver], shell: true, replayFlags: ['--driver', JSON.stringify(driver)] };
  }
  if (driver === 'reference-agent' && clientPath !== undefined)
    throw new HubproofError(
      'HUBPROOF_ERR_USAGE',
      '--client-path works with pusher-js and laravel-echo; the reference agent has no library to load',
    );
  if (clientPath !== undefined && !existsSync(clientPath))
    throw new HubproofError('HUBPROOF_ERR_USAGE', `--client-path ${clientPath} does not exist; give the folder of an installed ${driver}`);
  const argv = [process.execPath, SHIPPED_DRIVERS[driver], ...(clientPath !== undefined ? ['--client-path', clientPath] : [])];
  const replayFlags = driver === 'pusher-js' || driver === 'reference-agent' ? [] : ['--driver', driver];
  if (clientPath !== undefined) replayFlags.push('--client-path', clientPath);
  return { label: clientPath !== undefined ? `${driver} (${clientPath})` : driver, argv, shell: false, replayFlags };
}
