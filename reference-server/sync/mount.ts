/**
 * Profile `sync` of the reference hub (docs/protocol.md#profile-sync): the agent-collaboration API, its
 * six events with their envelope, channel authorization and history. Events are written to SQLite in
 * the mutation's transaction and then published through ctx.broadcaster (the pusher profile).
 */
import type { HubContext } from '../context.ts';
import { mountChannelRoutes } from './channel-routes.ts';
import { EventLog } from './event-log.ts';
import { mountHubInfo } from './hub-info.ts';
import { IdempotencyStore } from './idempotency.ts';
import { SyncRepository } from './repository.ts';
import { migrateSync } from './schema.ts';
import { mountSessionRoutes } from './sessions-routes.ts';
import type { SyncServices } from './services.ts';
import { startStaleSweeper } from './stale-sweeper.ts';
import { mountTodoRoutes } from './todos-routes.ts';

export function mountSync(ctx: HubContext): SyncServices {
  migrateSync(ctx.db);
  const svc: SyncServices = {
    config: ctx.config,
    repo: new SyncRepository(ctx.db),
    events: new EventLog(ctx.db, ctx),
    idempotency: new IdempotencyStore(ctx.db),
    now: () => ctx.now(),
  };
  mountHubInfo(ctx.router, ctx.config, ctx.cluster);
  mountChannelRoutes(ctx.router, svc);
  mountSessionRoutes(ctx.router, svc);
  mountTodoRoutes(ctx.router, svc);
  startStaleSweeper(ctx, svc);
  return svc;
}
