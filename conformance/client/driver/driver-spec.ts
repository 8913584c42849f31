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
  if (driver === 'dashboard')
    throw new HubproofError(
      'HUBPROOF_ERR_NOT_BUILT',
      '--driver dashboard is not built yet: the /dashboard page speaks the agent-presence stream, not Pusher, and needs cases of its own (docs/client-conformance.md); use pusher-js, laravel-echo or a driver command',
    );
  if (!isShipped(driver)) {
    if (clientPath !== undefined)
      throw new HubproofError(
        'HUBPROOF_ERR_USAGE',
        `--client-path works with the shipped drivers (pusher-js, laravel-echo); pass it to your own driver command instead`,
      );
    return { label: driver, argv: [driver], shell: true, replayFlags: ['--driver', JSON.stringify(driver)] };
  }
  if (clientPath !== undefined && !existsSync(clientPath))
    throw new HubproofError('HUBPROOF_ERR_USAGE', `--client-path ${clientPath} does not exist; give the folder of an installed ${driver}`);
  const argv = [process.execPath, SHIPPED_DRIVERS[driver], ...(clientPath !== undefined ? ['--client-path', clientPath] : [])];
  const replayFlags = driver === 'pusher-js' ? [] : ['--driver', driver];
  if (clientPath !== undefined) replayFlags.push('--client-path', clientPath);
  return { label: clientPath !== undefined ? `${driver} (${clientPath})` : driver, argv, shell: false, replayFlags };
}
