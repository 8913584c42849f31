/**
 * Mutant clients: pusher-js with one rule of the pusher-client profile broken (patches.mjs), each run as
 * a `--driver` command like any third-party driver. Their base is pusher-js with the three fixes it needs
 * to pass every case (jitter, refusing client events on public channels, surviving a frame without an
 * event); a mutant leaves one fix out or adds one break. Data, shared by the self-test and the score.
 */
import { fileURLToPath } from 'node:url';
import { driverSpec, type DriverSpec } from '../../conformance/client/driver/driver-spec.ts';

export interface ClientMutant {
  /** The patch name (patches.mjs): a fix left out, or a break added. */
  name: string;
  /** The requirement it violates; the suite must miss exactly this one. */
  breaks: string;
  /** What the client does wrong, one sentence. */
  describe: string;
  /** Selectors that include `breaks` and the rules that depend on it (the quick self-test runs these). */
  selectors: string[];
}

const DRIVER = fileURLToPath(new URL('./mutant-driver.mjs', import.meta.url));

/** The driver command of a mutant (`base`: every fix, no break; `pusher-js`: pusher-js as it is). */
export function mutantDriver(name: string): DriverSpec {
  return driverSpec(`"${process.execPath}" "${DRIVER}" --mutant ${name}`);
}

const m = (name: string, breaks: string, describe: string, selectors: string[] = [breaks]): ClientMutant => ({
  name,
  breaks,
  describe,
  selectors,
});

export const CLIENT_MUTANTS: readonly ClientMutant[] = [
  m(
    'reconnects-after-4001',
    'pusher-client/reconnect/1',
    'connects again 100 ms after any disconnect the application did not ask for, 4001 included',
    // With the jitter fix in place the jitter case passes here: the check is fair, not only able to fail.
    ['pusher-client/reconnect/1', 'pusher-client/backoff/1'],
  ),
  m('never-pings', 'pusher-client/heartbeat/2', 'never sends pusher:ping, so it never notices a dead connection', [
    'pusher-client/heartbeat',
  ]),
  m('ignores-missing-pong', 'pusher-client/heartbeat/3', 'pings, but waits an hour for the pong'),
  m('no-pong', 'pusher-client/heartbeat/1', 'does not answer the hub’s pusher:ping'),
  m('no-resubscribe', 'pusher-client/resubscribe/1', 'subscribes to nothing after a reconnect', [
    'pusher-client/resubscribe',
    'pusher-client/presence/4',
  ]),
  m(
    'stale-auth',
    'pusher-client/resubscribe/2',
    're-subscribes private and presence channels with the first auth it got, signed for the old socket id',
    ['pusher-client/resubscribe', 'pusher-client/presence/4'],
  ),
  m(
    'resubscribes-left-channel',
    'pusher-client/resubscribe/3',
    'keeps a channel the application left, and subscribes to it again after a reconnect',
  ),
  m('no-backoff-after-4100', 'pusher-client/reconnect/2', 'reconnects at once after 4100 (over capacity)', [
    'pusher-client/reconnect/2',
    'pusher-client/backoff',
  ]),
  m('jitter', 'pusher-client/backoff/1', 'waits a fixed 1 s after 4100 (pusher-js’s own behaviour), so a fleet comes back in lock-step'),
  m('double-member', 'pusher-client/presence/3', 'counts a user announced twice as two members', ['pusher-client/presence']),
  m('stale-members', 'pusher-client/presence/4', 'keeps the members it knew before a reconnect beside the new list', [
    'pusher-client/presence',
  ]),
  m('no-prefix-check', 'pusher-client/client-events/2', 'sends any event name the application triggers', ['pusher-client/client-events']),
  m('public-client-events', 'pusher-client/client-events/3', 'sends client events on public channels (pusher-js’s own behaviour)', [
    'pusher-client/client-events',
  ]),
  m(
    'drops-on-unknown-event',
    'pusher-client/robustness/1',
    'closes its connection on a pusher: or pusher_internal: event it does not know',
    ['pusher-client/robustness'],
  ),
  m(
    'malformed-frames',
    'pusher-client/robustness/2',
    'throws from its message handler on a frame without an event, crashing the process (pusher-js’s own behaviour)',
    ['pusher-client/robustness'],
  ),
  m(
    'decodes-twice',
    'pusher-client/events/1',
    'parses event data that is a string once more, so a string holding JSON reaches the app as an object',
  ),
];
