/**
 * Profile `agent-presence` of the reference hub (docs/protocol.md#profile-agent-presence): the dashboard
 * stream, the presence API, the idle/offline sweep, presence persisted in SQLite across restarts, and the
 * `/dashboard` page.
 */
import { repeat, type HubContext } from '../context.ts';
import { mountDashboardPage } from './dashboard-page.ts';
import { DashboardHub } from './dashboards.ts';
import { PresenceService } from './presence-service.ts';
import { PresenceStore } from './presence-store.ts';
import { mountPresenceRoutes } from './routes.ts';

/** The sweep runs often enough to report idle/offline well within a fifth of idleAfterMs. */
function sweepInterval(ctx: HubContext): number {
  const { sweepIntervalMs, idleAfterMs } = ctx.config.timings;
  return Math.max(20, Math.min(sweepIntervalMs, idleAfterMs / 5));
}

export function mountAgentPresence(ctx: HubContext): PresenceService {
  const store = new PresenceStore(ctx.db);
  const dashboards = new DashboardHub(ctx);
  const presence = new PresenceService(ctx, store, dashboards);
  ctx.upgrades.push(dashboards.claim);
  mountPresenceRoutes(
    ctx.router,
    ctx.config,
    presence,
    () => ctx.now(),
    () => dashboards.size,
  );
  mountDashboardPage(ctx.router);

  // implements: agent-presence/status/1
  repeat(ctx, 'presence-sweep', sweepInterval(ctx), () => presence.sweep());
  // A cluster snapshot serializes SQLite: group-committed changes must be in it first.
  ctx.cluster?.snapshotPart('agent-presence', { save: () => store.flush(), load: () => undefined });
  ctx.onClose.push(() => {
    // Registered after the dashboards' close hook, so it runs first (reverse order): the sweep has
    // stopped; write what is pending, then close the sockets; the database closes after every hook.
    store.flush();
  });
  return presence;
}
