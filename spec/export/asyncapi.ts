/**
 * The AsyncAPI 3.0 document: the reference hub's server, the Pusher socket with its frames, the three
 * sync channel families with their events, and the agent-presence dashboard stream. Operations are
 * written from a client's point of view: `send` = client to hub, `receive` = hub to client.
 * Payload schemas are the generated JSON Schemas, inlined under components.schemas.
 */
import { PROTOCOL_VERSION } from '../protocol/frames.ts';
import { DASHBOARD_PATH } from '../schemas/agent-presence.ts';
import { wireEventName, type SyncEventName } from '../schemas/sync.ts';
import { convertAll, mapRefs } from './json-schema.ts';
import { schemaGroups } from './schema-groups.ts';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Where `hubproof hub` listens by default (reference-server/config.ts). */
export const REFERENCE_HUB_DEFAULTS = { host: '127.0.0.1', port: 6001 } as const;

/** Groups that describe the wire; the target file and requirement registry are not messages. */
const WIRE_GROUPS = new Set(['common', 'pusher-frames', 'pusher-http', 'sync', 'agent-presence']);

const schemaRef = (id: string): Json => ({ $ref: `#/components/schemas/${id}` });
const messageRef = (id: string): Json => ({ $ref: `#/components/messages/${id}` });

interface FrameMessage {
  id: string;
  name: string;
  summary: string;
}

/** Pusher frames by direction; ping and pong travel both ways. */
const CLIENT_TO_HUB: FrameMessage[] = [
  { id: 'PusherPing', name: 'pusher:ping', summary: 'Heartbeat; the other side answers pusher:pong.' },
  { id: 'PusherPong', name: 'pusher:pong', summary: 'Answer to pusher:ping.' },
  {
    id: 'PusherSubscribe',
    name: 'pusher:subscribe',
    summary: 'Subscribe to a channel; auth for private, presence and encrypted channels.',
  },
  { id: 'PusherUnsubscribe', name: 'pusher:unsubscribe', summary: 'Leave a channel.' },
  { id: 'PusherSignin', name: 'pusher:signin', summary: 'User authentication (capability signin).' },
  { id: 'PusherClientEvent', name: 'client-*', summary: 'Client event on a private or presence channel (capability client_events).' },
];
const HUB_TO_CLIENT: FrameMessage[] = [
  { id: 'PusherConnectionEstablished', name: 'pusher:connection_established', summary: 'First frame: socket_id and activity_timeout.' },
  { id: 'PusherError', name: 'pusher:error', summary: 'Protocol error with a Pusher error code.' },
  { id: 'PusherPing', name: 'pusher:ping', summary: 'Heartbeat; the other side answers pusher:pong.' },
  { id: 'PusherPong', name: 'pusher:pong', summary: 'Answer to pusher:ping.' },
  {
    id: 'PusherSubscriptionSucceeded',
    name: 'pusher_internal:subscription_succeeded',
    summary: 'Subscription confirmed; presence channels carry the member list.',
  },
  {
    id: 'PusherSubscriptionError',
    name: 'pusher:subscription_error',
    summary: 'Non-standard refusal some hubs send instead of pusher:error 4009.',
  },
  { id: 'PusherMemberAdded', name: 'pusher_internal:member_added', summary: "A user's first connection joined a presence channel." },
  { id: 'PusherMemberRemoved', name: 'pusher_internal:member_removed', summary: "A user's last connection left a presence channel." },
  { id: 'PusherSubscriptionCount', name: 'pusher_internal:subscription_count', summary: 'Subscriber count of a channel.' },
  { id: 'PusherCacheMiss', name: 'pusher:cache_miss', summary: 'A cache channel holds no event (capability cache_channels).' },
  { id: 'PusherSigninSuccess', name: 'pusher:signin_success', summary: 'User authentication accepted (capability signin).' },
  { id: 'PusherChannelEvent', name: 'channel event', summary: 'Any event published on a subscribed channel; data is a string.' },
];

/** Which sync events go to which channel family (spec/schemas/sync.ts descriptions). */
const SYNC_CHANNELS: ReadonlyArray<{ key: string; kind: 'session' | 'project' | 'issue'; events: SyncEventName[] }> = [
  {
    key: 'syncSession',
    kind: 'session',
    events: ['AgentParticipantJoined', 'AgentParticipantLeft', 'AgentTodoChanged', 'AgentConflictDetected', 'AgentConflictResolved'],
  },
  { key: 'syncProject', kind: 'project', events: ['AgentSessionStarted'] },
  { key: 'syncIssue', kind: 'issue', events: ['AgentSessionStarted'] },
];
const SYNC_EVENTS: SyncEventName[] = [
  'AgentSessionStarted',
  'AgentParticipantJoined',
  'AgentParticipantLeft',
  'AgentTodoChanged',
  'AgentConflictDetected',
  'AgentConflictResolved',
];

/** A sync event as a Pusher channel event: `data` is a JSON string whose content is the event schema. */
function syncWirePayload(name: SyncEventName): Json {
  return {
    type: 'object',
    required: ['event', 'channel', 'data'],
    properties: {
      event: { type: 'string', const: wireEventName(name) },
      channel: schemaRef('ChannelName'),
      data: {
        type: 'string',
        description: `JSON string of ${name} (contentSchema)`,
        contentMediaType: 'application/json',
        contentSchema: schemaRef(name),
      },
    },
  };
}

function messagesOf(list: FrameMessage[]): { [key: string]: Json } {
  const out: { [key: string]: Json } = {};
  for (const m of list) out[m.id] = messageRef(m.id);
  return out;
}

export function asyncApiDocument(version: string): Json {
  const groups = schemaGroups().filter((g) => WIRE_GROUPS.has(g.name));
  const schemas: { [key: string]: Json } = {};
  for (const [id, schema] of convertAll(groups, (id) => `#/components/schemas/${id}`)) schemas[id] = mapRefs(schema, (r) => r);

  const messages: { [key: string]: Json } = {};
  for (const m of [...CLIENT_TO_HUB, ...HUB_TO_CLIENT]) {
    messages[m.id] = { name: m.name, title: m.name, summary: m.summary, payload: schemaRef(m.id) };
  }
  for (const name of SYNC_EVENTS) {
    messages[name] = {
      name: wireEventName(name),
      title: name,
      summary: `Sync event ${name}, with the envelope (event_id, seq, emitted_at) in its data.`,
      payload: syncWirePayload(name),
    };
  }
  messages.PresenceUpdate = {
    name: 'presence_update',
    title: 'presence_update',
    summary: "An agent's presence changed.",
    payload: schemaRef('PresenceUpdate'),
  };

  const channels: { [key: string]: Json } = {
    pusherApp: {
      address: '/app/{key}',
      title: 'Pusher protocol 7 socket',
      description: `WebSocket of the Pusher protocol ${PROTOCOL_VERSION}; every Pusher channel, the sync ones included, is multiplexed over it.`,
      parameters: { key: { description: 'The app key' } },
      messages: messagesOf([...CLIENT_TO_HUB, ...HUB_TO_CLIENT.filter((m) => !CLIENT_TO_HUB.some((c) => c.id === m.id))]),
      bindings: {
        ws: {
          bindingVersion: '0.1.0',
          query: {
            type: 'object',
            required: ['protocol'],
            properties: {
              protocol: { type: 'string', const: String(PROTOCOL_VERSION) },
              client: { type: 'string' },
              version: { type: 'string' },
            },
          },
        },
      },
    },
    dashboard: {
      address: DASHBOARD_PATH,
      title: 'Agent presence dashboard stream',
      description: 'Closed with 1008 for a missing or invalid token, 1013 when the session already has its maximum of dashboards.',
      messages: { PresenceUpdate: messageRef('PresenceUpdate') },
      bindings: {
        ws: {
          bindingVersion: '0.1.0',
          query: {
            type: 'object',
            required: ['token'],
            properties: { token: { type: 'string' }, session_id: { type: 'string' } },
          },
        },
      },
    },
  };
  for (const c of SYNC_CHANNELS) {
    const msgs: { [key: string]: Json } = {};
    for (const e of c.events) msgs[e] = messageRef(e);
    channels[c.key] = {
      address: `private-${c.kind}.{id}`,
      title: `Sync ${c.kind} channel`,
      description: `Private Pusher channel, authorised at POST /broadcasting/auth; delivered over /app/{key}.`,
      parameters: { id: { description: `The ${c.kind} id` } },
      messages: msgs,
    };
  }

  const channelMessageRefs = (channel: string, ids: string[]): Json[] =>
    ids.map((id) => ({ $ref: `#/channels/${channel}/messages/${id}` }));
  const operations: { [key: string]: Json } = {
    sendPusherFrame: {
      action: 'send',
      title: 'Client sends a Pusher frame',
      channel: { $ref: '#/channels/pusherApp' },
      messages: channelMessageRefs(
        'pusherApp',
        CLIENT_TO_HUB.map((m) => m.id),
      ),
    },
    receivePusherFrame: {
      action: 'receive',
      title: 'Client receives a Pusher frame',
      channel: { $ref: '#/channels/pusherApp' },
      messages: channelMessageRefs(
        'pusherApp',
        HUB_TO_CLIENT.map((m) => m.id),
      ),
    },
    receivePresenceUpdate: {
      action: 'receive',
      title: 'Dashboard receives a presence update',
      channel: { $ref: '#/channels/dashboard' },
      messages: channelMessageRefs('dashboard', ['PresenceUpdate']),
    },
  };
  for (const c of SYNC_CHANNELS) {
    const opKey = `receive${c.key[0]!.toUpperCase()}${c.key.slice(1)}Event`;
    operations[opKey] = {
      action: 'receive',
      title: `Subscriber receives a sync ${c.kind} event`,
      channel: { $ref: `#/channels/${c.key}` },
      messages: channelMessageRefs(c.key, c.events),
    };
  }

  return {
    asyncapi: '3.0.0',
    info: {
      title: 'hubproof hub protocols',
      version,
      description:
        'What hubproof certifies: Pusher protocol 7 (profile pusher), agent-sync events (profile sync) and the agent-presence dashboard stream. ' +
        "Operations are written from a client's point of view: send = client to hub, receive = hub to client. Generated by `npm run spec:export`; do not edit.",
    },
    defaultContentType: 'application/json',
    servers: {
      reference: {
        host: `${REFERENCE_HUB_DEFAULTS.host}:${REFERENCE_HUB_DEFAULTS.port}`,
        protocol: 'ws',
        description: 'The reference hub with its defaults (`hubproof hub`).',
      },
    },
    channels,
    operations,
    components: { schemas, messages },
  };
}
