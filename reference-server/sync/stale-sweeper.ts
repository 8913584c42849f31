/**
 * Marks participants stale: every timings.sweepIntervalMs, each active participant whose last heartbeat
 * is timings.heartbeatTimeoutMs old becomes `stale` and AgentParticipantLeft {reason:"stale"} goes to its
 * session channel. The report delay after the timeout is at most one sweep interval (plus event-loop lag),
 * which keeps it inside the advertised timings.staleGraceMs.
 */
import { syncChannel } from '../../spec/protocol/channels.ts';
import { repeat, type HubContext } from '../context.ts';
import type { SyncServices } from './services.ts';

/** One sweep; returns how many participants went stale. Exposed for tests and for the timer. */
// implements: sync/heartbeat/2, sync/heartbeat/3, sync/participants/5, sync/causality/3, sync/envelope/5
export function sweepStale(svc: SyncServices): number {
  const { repo, config } = svc;
  return svc.events.mutate((em) => {
    const due = repo.staleCandidates.all(em.now - config.timings.heartbeatTimeoutMs);
    for (const p of due) {
      repo.setParticipantStatus.run('stale', p.participant_id);
      em.emit('AgentParticipantLeft', [syncChannel('session', p.session_id)], {
        participant_id: p.participant_id,
        agent_identifier: p.agent_identifier,
        agent_type: p.agent_type,
        session_id: p.session_id,
        reason: 'stale',
      });
    }
    return due.length;
  });
}

export function startStaleSweeper(ctx: HubContext, svc: SyncServices): void {
  repeat(ctx, 'sync-stale-sweep', svc.config.timings.sweepIntervalMs, () => {
    try {
      sweepStale(svc);
    } catch (err) {
      ctx.log(`sync: stale sweep failed: ${(err as Error).message}`);
    }
  });
}
