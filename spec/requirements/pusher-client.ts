/**
 * Profile `pusher-client`: what a Pusher client library must do on its side of the wire (`hubproof client`
 * plays the hub and judges the client through a driver). Sources are the protocol page's statements for
 * clients and the channels, events and presence pages; the bounds hubproof measures with, and the levels
 * that differ from the page's wording, are decided in docs/protocol.md ("Profile pusher-client").
 * Ids are stable: never renumber, never reuse, only append.
 */
import { derived, quote, req, type Requirement } from './types.ts';

const WS = 'https://pusher.com/docs/channels/library_auth_reference/pusher-websockets-protocol/';
const SIG = 'https://pusher.com/docs/channels/library_auth_reference/auth-signatures/';
const EVENTS = 'https://pusher.com/docs/channels/using_channels/events/';
const PRESENCE = 'https://pusher.com/docs/channels/using_channels/presence-channels/';
const DOC = 'docs/protocol.md';

/** Most cases need a client that connected, and one that came back after a 4200. */
const CONNECTED = 'pusher-client/connection/2';
const SUBSCRIBES = 'pusher-client/subscribe/1';
const RECONNECTS = 'pusher-client/reconnect/3';

/** Why the three close-code ranges are MUSTs although the page words them as SHOULDs. */
const ONLY_LEVER =
  'The close code is the only lever a hub has on its clients, and the protocol page defines each range by what the client does next, so hubproof holds clients to it as a MUST (docs/protocol.md, "Reconnecting").';

export const PUSHER_CLIENT_REQUIREMENTS: readonly Requirement[] = [
  // connection
  req(
    'pusher-client/connection/1',
    'MUST',
    'A client MUST connect to `/app/{key}` with the query parameters `protocol=7`, `client` and `version`.',
    `${WS}#websocket-connection`,
    derived(
      'The protocol page tells clients to connect to `[scheme]://ws-[cluster_name].pusher.com:[port]/app/[key]` and lists the query parameters protocol, client and version; a hub that gets no `protocol` infers an old version or, as the page announces, closes with 4008, so a client that leaves it out does not speak protocol 7.',
    ),
  ),
  req(
    'pusher-client/connection/2',
    'MUST',
    'A client MUST report itself connected only after `pusher:connection_established` has arrived, with the `socket_id` that frame carries.',
    `${WS}#connection-events`,
    derived(
      'The page says of `pusher:connection_established`: "Once this event has been triggered subscriptions can be made to Pusher Channels using the WebSocket connection." An app told it is connected earlier subscribes on a connection that cannot take it, and an app given another socket id gets channel signatures every hub refuses.',
    ),
    { dependsOn: ['pusher-client/connection/1'] },
  ),

  // subscribe
  req(
    'pusher-client/subscribe/1',
    'MUST',
    'When the application subscribes, a client MUST send `pusher:subscribe` for the channel (with an `auth` from the authorization endpoint signed for its `socket_id`, and the signed `channel_data` on a presence channel, where the channel needs one) and tell the application once `pusher_internal:subscription_succeeded` arrives.',
    `${WS}#subscription-events`,
    derived(
      'The page has clients send `pusher:subscribe` with `auth` (and `channel_data` for presence) and the hub confirm with `pusher_internal:subscription_succeeded`; the auth signatures page signs `socket_id:channel_name`. A client that cannot subscribe delivers nothing, and an app that is not told when it may rely on a channel loses what it sends before.',
    ),
    { dependsOn: [CONNECTED] },
  ),
  req(
    'pusher-client/subscribe/2',
    'MUST',
    'A client MUST tell the application when the authorization endpoint refuses a subscription, and MUST NOT send `pusher:subscribe` for it.',
    `${DOC}#client-subscriptions`,
    quote(
      'The application is told when the hub confirms (`pusher_internal:subscription_succeeded`), and told when the endpoint refuses (any answer other than 2xx); then the client sends no subscribe for that channel, since a subscribe without a valid signature is refused by every hub.',
    ),
    { dependsOn: [CONNECTED] },
  ),

  // events
  req(
    'pusher-client/events/1',
    'MUST',
    'A client MUST deliver every event of a subscribed channel to the application, in the order the hub sent them, with `data` decoded once (a string holding JSON parsed, any other string passed on as it is).',
    `${WS}#double-encoding`,
    derived(
      'The page says "Pusher Channels tries to send the `data` field as a string", JSON-encoded by the publisher; client libraries decode it once for the app (pusher-js parses a string that holds JSON and passes any other string through). Delivering events is what a client is for: a lost, reordered or twice-decoded event breaks every app.',
    ),
    { dependsOn: [SUBSCRIBES] },
  ),

  // heartbeat
  req(
    'pusher-client/heartbeat/1',
    'MUST',
    'A client MUST answer a `pusher:ping` frame with a `pusher:pong` frame within 2 s.',
    `${WS}#recommendations-for-client-libraries`,
    derived(
      'The page says "the client MUST respond to a `pusher:ping` event with a `pusher.pong` event"; hubs close a connection whose pong does not come within their pong timeout (4201), and drop its presence members. The 2 s bound is docs/protocol.md\'s ("Client heartbeat").',
    ),
    { dependsOn: [CONNECTED] },
  ),
  req(
    'pusher-client/heartbeat/2',
    'MUST',
    'A client MUST send `pusher:ping` (or a WebSocket ping) once `activity_timeout` seconds have passed with nothing received from the hub, no later than 1.5 s after.',
    `${WS}#connection-events`,
    derived(
      'The page defines `activity_timeout` as "The number of seconds of server inactivity after which the client should initiate a ping message". It is a MUST here because a client that never pings cannot tell a half-open connection from a quiet one and loses events silently until something else breaks it (pusher-js#504, dart_pusher_channels PR#7); docs/protocol.md ("Client heartbeat") sets the 1.5 s margin.',
    ),
    { dependsOn: [CONNECTED] },
  ),
  req(
    'pusher-client/heartbeat/3',
    'MUST',
    'A client whose ping no pong answers within its pong timeout MUST close that connection and connect again within 2 s after the timeout.',
    `${DOC}#client-heartbeat`,
    quote(
      "A ping that no pong answers within the client's pong timeout means the connection is dead: the client closes it and connects again, within 2 s after that timeout.",
    ),
    { dependsOn: ['pusher-client/heartbeat/2'] },
  ),

  // reconnect
  req(
    'pusher-client/reconnect/1',
    'MUST',
    'A client MUST NOT reconnect on its own after the hub closes its connection with a code from 4001 to 4099.',
    `${WS}#connection-closure`,
    derived(
      `The page says "4000-4099: The connection SHOULD NOT be re-established unchanged." (4000 itself asks for a reconnect over TLS and is left out). A client that reconnects after 4001 (unknown app) or 4009 (unauthorized) retries something that can never work, in an endless loop (pusher-websocket-ruby#40). ${ONLY_LEVER}`,
    ),
    { dependsOn: [CONNECTED] },
  ),
  req(
    'pusher-client/reconnect/2',
    'MUST',
    'After the hub closes its connection with a code from 4100 to 4199, a client MUST reconnect, no sooner than 1 s after the close and within 10 s.',
    `${WS}#connection-closure`,
    derived(
      `The page says "4100-4199: The connection SHOULD be re-established after backing off. The back-off time SHOULD be at least 1 second in duration". 4100 means the hub is over capacity: clients that come back at once turn its refusal into a storm, and clients that never come back go silent. ${ONLY_LEVER}`,
    ),
    { dependsOn: [CONNECTED] },
  ),
  req(
    'pusher-client/reconnect/3',
    'MUST',
    'After the hub closes its connection with a code from 4200 to 4299, a client MUST reconnect within 10 s.',
    `${WS}#connection-closure`,
    derived(
      `The page says "4200-4299: The connection SHOULD be re-established immediately." Hubs close with 4200 when they restart or shed a node, so a client that does not come back goes silent on every deploy (Pysher PR#7). ${ONLY_LEVER}`,
    ),
    { dependsOn: [CONNECTED] },
  ),
  req(
    'pusher-client/reconnect/4',
    'SHOULD',
    'After a close with a code from 4200 to 4299, a client SHOULD reconnect within 1 s, without backing off.',
    `${WS}#connection-closure`,
    derived(
      'The page says "4200-4299: The connection SHOULD be re-established immediately."; a client that applies its back-off instead is late but not broken, so the "immediately" part is a SHOULD, measured as 1 s (docs/protocol.md, "Reconnecting").',
    ),
    { dependsOn: [RECONNECTS] },
  ),
  req(
    'pusher-client/reconnect/5',
    'MUST',
    'A client MUST reconnect within 10 s of the hub listening again when its connection ends without a Pusher close code (dropped without a close frame, or closed with 1001 by a hub going away).',
    `${DOC}#reconnecting`,
    quote(
      'A connection that ends without a Pusher code (dropped without a close frame, or closed with 1001 by a hub going away) is reconnected within 10 s of the hub listening again.',
    ),
    { dependsOn: [CONNECTED] },
  ),

  // backoff
  req(
    'pusher-client/backoff/1',
    'SHOULD',
    'A client SHOULD randomise its reconnect delay, so that clients closed at one instant with a code from 4100 to 4199 come back spread by at least 250 ms and a quarter of their median delay.',
    `${DOC}#back-off-and-jitter`,
    quote('The protocol says nothing of jitter, so this is a SHOULD.'),
    { dependsOn: ['pusher-client/reconnect/2'] },
  ),

  // resubscribe
  req(
    'pusher-client/resubscribe/1',
    'MUST',
    'After a reconnect, a client MUST subscribe again, without the application asking, to every channel the application holds, within 2 s of `pusher:connection_established`.',
    `${DOC}#re-subscribing`,
    derived(
      'A hub forgets a connection\'s subscriptions when it ends, and the application still holds its channels; a client that does not subscribe again leaves the app listening to nothing (pusher-js#203, fixed in 3.2.4; Pysher PR#7). docs/protocol.md ("Re-subscribing") sets the 2 s bound.',
    ),
    { dependsOn: [RECONNECTS, SUBSCRIBES] },
  ),
  req(
    'pusher-client/resubscribe/2',
    'MUST',
    'A client MUST authorize each re-subscription to a private or presence channel afresh, with an `auth` signed for the new `socket_id`.',
    SIG,
    derived(
      'The channel signature is an HMAC of `socket_id:channel_name` (and the channel data); a signature made for the connection before the reconnect names the old socket id, and every hub refuses it.',
    ),
    { dependsOn: ['pusher-client/resubscribe/1'] },
  ),
  req(
    'pusher-client/resubscribe/3',
    'MUST',
    'A client MUST NOT subscribe again after a reconnect to a channel the application unsubscribed.',
    `${DOC}#re-subscribing`,
    quote('A channel the application unsubscribed is not subscribed again.'),
    { dependsOn: ['pusher-client/resubscribe/1'] },
  ),
  req(
    'pusher-client/resubscribe/4',
    'MUST',
    'A subscription the hub had not confirmed when the connection dropped MUST be sent again after the reconnect and complete.',
    `${DOC}#re-subscribing`,
    derived(
      'The application asked for the channel and was never told it failed; a client that leaves it pending after the drop never delivers its events (pusher-js PR#251 fixed exactly this).',
    ),
    { dependsOn: ['pusher-client/resubscribe/1'] },
  ),

  // presence
  req(
    'pusher-client/presence/1',
    'MUST',
    "On `pusher_internal:subscription_succeeded` for a presence channel, a client MUST give the application the hub's members: the ids of `presence.hash`, their count, and `me`, the member whose `user_id` the channel data signed.",
    PRESENCE,
    derived(
      "The presence page gives apps `channel.members` with `count`, `each` and `me` from the subscription; they come from the hub's `presence` data (`ids`, `hash`, `count`) and the app's own channel data. A list that differs from the hub's shows users online who are not, or hides those who are.",
    ),
    { dependsOn: [SUBSCRIBES] },
  ),
  req(
    'pusher-client/presence/2',
    'MUST',
    "A client MUST add a member to the application's list on `pusher_internal:member_added` and remove it on `pusher_internal:member_removed`.",
    `${PRESENCE}#events`,
    derived(
      'The presence page documents `pusher:member_added` and `pusher:member_removed` as the way apps learn who joins and leaves; a client that does not apply them keeps a list that lies after the first change.',
    ),
    { dependsOn: ['pusher-client/presence/1'] },
  ),
  req(
    'pusher-client/presence/3',
    'MUST',
    'A client MUST keep one member per user id: a `member_added` for a user already in the list MUST NOT count a second member.',
    `${DOC}#presence-bookkeeping`,
    quote('a user id is one member however many `member_added` name it'),
    { dependsOn: ['pusher-client/presence/1'] },
  ),
  req(
    'pusher-client/presence/4',
    'MUST',
    'After a re-subscription, a client MUST replace its member list with the new `subscription_succeeded` list, so members who left while it was away are gone.',
    `${DOC}#presence-bookkeeping`,
    quote("After a re-subscribe the list is the new `subscription_succeeded`'s, so members who left while the client was away are gone."),
    { dependsOn: ['pusher-client/presence/1', 'pusher-client/resubscribe/2'] },
  ),

  // client-events
  req(
    'pusher-client/client-events/1',
    'MUST',
    'A client MUST send a client event the application triggers on a subscribed private or presence channel as one frame with the `client-` event name, the channel and the data unchanged.',
    `${EVENTS}#triggering-client-events`,
    derived(
      'The events page lets apps trigger `client-` events on private and presence channels ("channel.trigger(eventName, data)"), relayed by the hub to the other subscribers as they were sent; a client that renames, drops or re-encodes them breaks the apps on the other end.',
    ),
    { dependsOn: [SUBSCRIBES] },
  ),
  req(
    'pusher-client/client-events/2',
    'MUST',
    'A client MUST NOT send an event whose name does not start with `client-`, and MUST tell the application it refused it.',
    `${EVENTS}#triggering-client-events`,
    derived(
      'The events page says "Events with any other prefix will be rejected by the Channels server, as will events sent to channels to which the client is not subscribed."; a client that sends one anyway loses the event without the application knowing, and may send `pusher:` frames that change its connection.',
    ),
    { dependsOn: [SUBSCRIBES] },
  ),
  req(
    'pusher-client/client-events/3',
    'SHOULD',
    'A client SHOULD refuse a client event on a public channel at the call, and tell the application, instead of sending it.',
    `${EVENTS}#triggering-client-events`,
    derived(
      'The events page says "Client events can only be triggered on private and presence channels because they require authentication"; every hub refuses one on a public channel with `pusher:error`, so a client that sends it breaks nothing but tells the app too late: a SHOULD.',
    ),
    { dependsOn: [SUBSCRIBES] },
  ),

  // robustness
  req(
    'pusher-client/robustness/1',
    'MUST',
    'A client MUST ignore an event it does not know (a new `pusher:` or `pusher_internal:` event, an event for a channel it does not hold) and keep its connection and subscriptions working.',
    `${DOC}#robustness-of-clients`,
    derived(
      'The protocol grows by adding events within version 7 (`pusher_internal:subscription_count`, `pusher:cache_miss`, `pusher:signin_success` came that way), and hubs send events for channels a client has just left; a client that breaks its connection on one loses every event behind it.',
    ),
    { dependsOn: ['pusher-client/events/1'] },
  ),
  req(
    'pusher-client/robustness/2',
    'SHOULD',
    'A client SHOULD survive a malformed frame (not JSON, not a JSON object, or without an `event`): keep its connection, keep delivering events, and not crash the application.',
    `${DOC}#robustness-of-clients`,
    quote('A conforming hub never sends one, so this is a SHOULD.'),
    { dependsOn: ['pusher-client/events/1'] },
  ),
];
