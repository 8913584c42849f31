/** `GET /api/hub`: what the hub implements and the numbers a harness adapts to (HubInfo). No auth. */
import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import type { HubInfo } from '../../spec/schemas/sync.ts';
import type { HubConfig } from '../config.ts';
import type { ClusterContext } from '../context.ts';
import { sendJson, type Router } from '../http/router.ts';

export const SPEC_VERSION = '1.0';

function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}

// implements: sync/hub-info/1, sync/hub-info/2 — every advertised number is read from the config the hub enforces
export function hubInfo(config: HubConfig, version = packageVersion()): z.infer<typeof HubInfo> {
  const { limits: l, timings: t, features: f } = config;
  return {
    name: config.name,
    version,
    spec_version: SPEC_VERSION,
    profiles: ['pusher', 'sync', 'agent-presence'],
    // implements: pusher/client-events/9, pusher/cache/4, pusher/encrypted/4, pusher/signin/4, pusher/webhooks/5
    capabilities: {
      client_events: f.clientEvents,
      cache_channels: f.cacheChannels,
      encrypted_channels: f.encryptedChannels,
      signin: f.signin,
      webhooks: config.webhooks !== undefined,
    },
    limits: {
      max_participants: l.maxParticipants,
      max_dashboards_per_session: l.maxDashboardsPerSession,
      max_event_bytes: l.maxEventBytes,
      max_channels_per_event: l.maxChannelsPerEvent,
      max_batch_events: l.maxBatchEvents,
      client_events_per_second: l.clientEventsPerSecond,
      history_page_max: l.historyPageMax,
    },
    timings: {
      activity_timeout_s: t.activityTimeoutS,
      pong_timeout_ms: t.pongTimeoutMs,
      heartbeat_interval_ms: t.heartbeatIntervalMs,
      heartbeat_timeout_ms: t.heartbeatTimeoutMs,
      stale_grace_ms: t.staleGraceMs,
      conflict_threshold: t.conflictThreshold,
      conflict_budget_ms: t.conflictBudgetMs,
      idle_after_ms: t.idleAfterMs,
      offline_after_ms: t.offlineAfterMs,
    },
  };
}

export function mountHubInfo(router: Router, config: HubConfig, cluster?: ClusterContext): void {
  const body = hubInfo(config);
  router.add('GET', '/api/hub', (rc) => sendJson(rc.res, 200, cluster === undefined ? body : { ...body, cluster: cluster.info() }));
}
