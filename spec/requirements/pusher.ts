/**
 * Profile `pusher`: the Pusher Channels protocol 7 on the wire and its HTTP API.
 * A rule cites the public Pusher document that defines the behaviour; decisions the public documents
 * leave open cite docs/protocol.md. Every basis quotes its source or says how the rule follows from it
 * (levels audited against the sources: MUST only where the source says so or clients visibly break).
 * Ids are stable: never renumber, never reuse, only append.
 */
import { BAD_INPUT_RULE } from './doc-quotes.ts';
import { derived, quote, req, type Requirement } from './types.ts';

const WS = 'https://pusher.com/docs/channels/library_auth_reference/pusher-websockets-protocol/';
const REST = 'https://pusher.com/docs/channels/library_auth_reference/rest-api/';
const SIG = 'https://pusher.com/docs/channels/library_auth_reference/auth-signatures/';
const CHANNELS = 'https://pusher.com/docs/channels/using_channels/channels/';
const EVENTS = 'https://pusher.com/docs/channels/using_channels/events/';
const PRESENCE = 'https://pusher.com/docs/channels/using_channels/presence-channels/';
const CACHE = 'https://pusher.com/docs/channels/using_channels/cache-channels/';
const ENCRYPTED = 'https://pusher.com/docs/channels/using_channels/encrypted-channels/';
const WEBHOOKS = 'https://pusher.com/docs/channels/server_api/webhooks/';
const RFC6455 = 'https://www.rfc-editor.org/rfc/rfc6455';
const DOC = 'docs/protocol.md';

/** Dependencies most cases share: a live connection, a public subscription, a publish, its delivery. */
const CONNECTED = 'pusher/connection/3';
const SUBSCRIBED = 'pusher/subscribe/1';
const DELIVERED = 'pusher/subscribe/3';
const PINGS = 'pusher/heartbeat/1';
const SIGNED_HTTP = 'pusher/http-auth/1';

/** Why "answer 4xx" is a MUST wherever the HTTP API refuses something. */
const REFUSED_NOT_200 =
  'The HTTP API reference lists 400 as "Error: details in response body" and its server SDKs treat a 2xx answer as success, so a refusal answered 200 is a publish lost without the caller being told.';

export const PUSHER_REQUIREMENTS: readonly Requirement[] = [
  // connection
  req(
    'pusher/connection/1',
    'MUST',
    'A hub MUST accept a WebSocket connection at `/app/{key}?protocol=7&client=…&version=…` for a known app key.',
    `${WS}#websocket-connection`,
    derived(
      'The protocol page tells clients to connect to `[scheme]://ws-[cluster_name].pusher.com:[port]/app/[key]` with the query parameters protocol, client and version; every client library connects there, so a hub that does not accept it has no clients.',
    ),
  ),
  req(
    'pusher/connection/2',
    'MUST',
    'A hub MUST send `pusher:connection_established` as the first frame of every accepted connection.',
    `${WS}#connection-events`,
    quote('Once this event has been triggered subscriptions can be made to Pusher Channels using the WebSocket connection.'),
    { dependsOn: ['pusher/connection/1'] },
  ),
  req(
    'pusher/connection/3',
    'MUST',
    'The `data` of `pusher:connection_established` MUST be a JSON string encoding an object with `socket_id` and `activity_timeout`.',
    `${WS}#connection-events`,
    quote('Where the `data` field is a JSON-encoded hash of following format:'),
    { dependsOn: ['pusher/connection/2'] },
  ),
  req(
    'pusher/connection/4',
    'MUST',
    'A `socket_id` MUST match `\\d+\\.\\d+` and MUST differ from the socket id of every other open connection.',
    `${WS}#connection-events`,
    derived(
      'The protocol calls `socket_id` "A unique identifier for the connected client"; the official server SDKs (pusher-http-node, pusher-http-php) refuse any `socket_id` that does not match `^\\d+\\.\\d+$` when an app passes it to exclude the sender or to authorize a channel, so another format breaks every app that does either.',
    ),
    { dependsOn: [CONNECTED] },
  ),
  req(
    'pusher/connection/5',
    'MUST',
    'The announced `activity_timeout` MUST be a positive integer number of seconds.',
    `${WS}#connection-events`,
    quote('The number of seconds of server inactivity after which the client should initiate a ping message'),
    { dependsOn: [CONNECTED] },
  ),
  req(
    'pusher/connection/6',
    'MUST',
    'A hub MUST end a connection made with an unknown app key with error code 4001.',
    `${WS}#error-codes`,
    derived(
      'The protocol assigns `4001: Application does not exist` in the 4000-4099 range, after which "attempting to reconnect using the same parameters will not succeed"; a hub that keeps such a connection open, or ends it with a reconnect code, leaves clients retrying a key that can never work.',
    ),
  ),
  req(
    'pusher/connection/7',
    'SHOULD',
    'A hub SHOULD end a connection that asks for an unsupported protocol version with error code 4007.',
    `${WS}#error-codes`,
    derived(
      'The protocol lists `4007: Unsupported protocol version`; a hub that serves protocol 7 to a client asking for another breaks nothing pusher-js does, so the code is a SHOULD.',
    ),
  ),
  req(
    'pusher/connection/8',
    'SHOULD',
    'A hub SHOULD end a connection that gives no `protocol` parameter with error code 4008.',
    `${WS}#websocket-connection`,
    quote('Failing that protocol 1 is used (this behaviour is deprecated and will in future be replaced by a 4008 error code)'),
  ),
  req(
    'pusher/connection/9',
    'MUST',
    'A hub MUST send every frame as a UTF-8 text message holding one JSON object with a string `event`.',
    `${WS}#websocket-data-messages`,
    quote('Data is sent bidirectionally over a WebSocket as text data containing UTF8 encoded JSON.'),
    { dependsOn: [SUBSCRIBED, 'pusher/auth/1', 'pusher/auth/2', PINGS, 'pusher/http-api/1'] },
  ),
  req(
    'pusher/connection/10',
    'MUST',
    "A hub MUST send the `data` of every channel event as a string, relaying the publisher's string unchanged.",
    `${WS}#double-encoding`,
    quote('In order to keep the protocol consistent, Pusher Channels tries to send the `data` field as a string.'),
    { dependsOn: [SUBSCRIBED, 'pusher/http-api/1'] },
  ),

  // heartbeat
  req(
    'pusher/heartbeat/1',
    'MUST',
    'A hub MUST answer a `pusher:ping` frame with a `pusher:pong` frame on the same connection.',
    `${WS}#detecting-that-the-connection-is-alive`,
    quote(
      'This means that Pusher Channels will respond to a WebSocket protocol ping message with a pong message, and also it will respond to a `pusher:ping` event with a `pusher:pong` event (both have empty data).',
    ),
    { dependsOn: [CONNECTED] },
  ),
  req(
    'pusher/heartbeat/2',
    'MUST',
    'A hub MUST answer a WebSocket ping control frame with a pong control frame.',
    `${RFC6455}#section-5.5.2`,
    quote('Upon receipt of a Ping frame, an endpoint MUST send a Pong frame in response, unless it already received a Close frame.'),
    { dependsOn: [CONNECTED] },
  ),
  req(
    'pusher/heartbeat/3',
    'SHOULD',
    'A hub SHOULD ping (`pusher:ping` or a WebSocket ping) a connection from which it has received nothing for the larger of its announced `activity_timeout` and 120 s, whether or not it holds a subscription, to learn whether it is still alive.',
    `${WS}#ping-and-pong-messages`,
    derived(
      'The protocol says Pusher "will send ping messages to the client in order to verify that it is active", and that "in the absence of any messages either party may check that the other side is responding by sending a ping message"; no sentence obliges a server to ping. It defines `activity_timeout` as the inactivity after which the *client* should ping, and recommends 120 s as the client\'s activity timeout. Without server pings a hub cannot tell a stalled connection from an idle one (presence lies), so it is a SHOULD, bounded by what the hub announced or the protocol\'s recommended 120 s, whichever is later.',
      'Was a MUST that the hub ping within its announced `activity_timeout`, which read a client-side timer as a server obligation: Soketi never pings (its maintainers leave pinging to clients) and Reverb pings every 60 s while announcing 30 s. Now a SHOULD with the later of the two bounds. Later made explicit ("whether or not it holds a subscription") because Reverb pings only connections that hold one (laravel/reverb#375): the rule is judged on one idle connection of each kind, and a miss names the kind.',
    ),
    { dependsOn: [CONNECTED, SUBSCRIBED] },
  ),
  req(
    'pusher/heartbeat/4',
    'MUST',
    'A hub that pings a connection MUST close it with code 4201 when no pong comes back within its pong timeout.',
    `${WS}#error-codes`,
    derived(
      "The protocol defines `4201: Pong reply not received: ping was sent to the client, but no reply was received`, in the range after which clients reconnect at once. An unanswered ping is the hub's only evidence that a connection is dead; a hub that ignores it keeps members of presence channels that are gone.",
      'Now says explicitly that it applies to a hub that pings: a hub that sends no ping is judged by pusher/heartbeat/3 and reported blocked here.',
    ),
    { dependsOn: ['pusher/heartbeat/3'] },
  ),
  req(
    'pusher/heartbeat/5',
    'MUST',
    'A hub MUST accept either a `pusher:pong` frame or a WebSocket pong control frame as the answer to its ping and keep that connection open.',
    `${WS}#recommendations-for-client-libraries`,
    derived(
      'The protocol makes clients answer with a protocol-level pong where they support it ("on receipt of a ping message, the client MUST respond with a pong message") and with `pusher:pong` otherwise ("the client MUST respond to a `pusher:ping` event with a `pusher.pong` event"); a hub that accepts only one form closes healthy clients of the other kind.',
    ),
    { dependsOn: ['pusher/heartbeat/3'] },
  ),

  // close-codes
  req(
    'pusher/close-codes/1',
    'MUST',
    'A hub MUST use codes 4000-4099 only for errors after which the client must not reconnect unchanged.',
    `${WS}#connection-closure`,
    derived(
      'The protocol tells clients "4000-4099: The connection SHOULD NOT be re-established unchanged." and pusher-js follows it (it stops reconnecting); a hub that closes for a transient condition with such a code leaves its clients disconnected for good.',
    ),
    { dependsOn: ['pusher/connection/6', 'pusher/connection/8'] },
  ),
  req(
    'pusher/close-codes/2',
    'MUST',
    'A hub MUST use codes 4100-4199 only for conditions after which the client should reconnect after backing off.',
    `${WS}#connection-closure`,
    derived(
      'The protocol tells clients "4100-4199: The connection SHOULD be re-established after backing off." and pusher-js follows it; a hub that uses the range for conditions that need no back-off, or for permanent ones, makes clients wait or retry for nothing.',
    ),
    { dependsOn: ['pusher/connection/6', 'pusher/connection/8', 'pusher/heartbeat/4'] },
  ),
  req(
    'pusher/close-codes/3',
    'MUST',
    'A hub MUST use codes 4200-4299 only for conditions after which the client may reconnect at once.',
    `${WS}#connection-closure`,
    derived(
      'The protocol tells clients "4200-4299: The connection SHOULD be re-established immediately." and pusher-js follows it; a hub that closes for a permanent error (an unknown key) with such a code makes clients reconnect in a tight loop for ever.',
    ),
    { dependsOn: ['pusher/connection/6', 'pusher/heartbeat/4'] },
  ),
  req(
    'pusher/close-codes/4',
    'SHOULD',
    'A hub SHOULD use codes 4300-4399 for errors that call for no reconnect action, with 4301 meaning the client-event rate limit was exceeded.',
    `${WS}#error-codes`,
    derived(
      'The protocol reserves 4300-4399 for "Any other type of error" and assigns `4301: Client event rejected due to rate limit`. These codes travel in `pusher:error` frames that leave the connection open, and pusher-js only emits them to the app, so a code from another range misleads without breaking a client.',
      'Was a MUST; the codes it checks are `pusher:error` codes of connections that stay open, which no client acts on.',
    ),
    { dependsOn: ['pusher/bad-input/1', 'pusher/client-events/7'] },
  ),
  req(
    'pusher/close-codes/5',
    'MUST',
    'Every `pusher:error` frame MUST carry a string `message`, and a `code` that, when present, is an integer.',
    `${WS}#system-events`,
    derived(
      'The protocol gives the frame as `{ "event": "pusher:error", "data": { "message": String, "code": Integer } }`, with `message` "A textual description of the error" and `code` "optional - A code that identifies the error that has occurred"; the frame format is what every client parses.',
      'Was "a numeric `code` (or null)"; the protocol makes the code optional, so an absent code passes (its case should accept it).',
    ),
    { dependsOn: ['pusher/bad-input/1', 'pusher/channel-names/2', 'pusher/auth/4'] },
  ),
  req(
    'pusher/close-codes/6',
    'SHOULD',
    'A hub SHOULD send `pusher:error` data as a JSON object `{message, code}`, not as a double-encoded string.',
    `${WS}#system-events`,
    derived(
      'The protocol shows `pusher:error` data as an object while channel events carry strings; pusher-js accepts both, so the object form is a SHOULD.',
    ),
    { dependsOn: ['pusher/bad-input/1', 'pusher/channel-names/2', 'pusher/auth/4'] },
  ),

  // channel-names
  req(
    'pusher/channel-names/1',
    'MUST',
    'A hub MUST accept channel names of 1 character up to its channel-name limit (Pusher: 164; a target may declare its own) drawn from `[A-Za-z0-9_\\-=@,.;]`.',
    `${CHANNELS}#channel-naming-conventions`,
    quote(
      'Channel names should only include lower and uppercase letters, numbers and the following punctuation `_ - = @ , . ;`',
      "Now checked against the limit the target declares (Pusher's when it declares none): hubs choose their own limits, and a report lists each one that differs from Pusher's.",
    ),
    { dependsOn: [SUBSCRIBED] },
  ),
  req(
    'pusher/channel-names/2',
    'SHOULD',
    'A hub SHOULD refuse a subscription to a channel name longer than its channel-name limit (Pusher: 164) or holding any other character with `pusher:error`, without closing the connection.',
    `${DOC}#channel-names`,
    quote(
      'A name longer than the limit or holding another character is refused with `pusher:error`, and the connection and its other subscriptions stay as they were.',
      'Was a MUST. The channels page only says what names "should" contain and that they "may contain a maximum of 164 characters"; a hub that accepts a longer or odder name breaks no client, and hubs choose their own limits (Soketi: 200).',
    ),
    { dependsOn: [SUBSCRIBED, DELIVERED, PINGS] },
  ),
  req(
    'pusher/channel-names/3',
    'MUST',
    "A hub MUST derive a channel's kind from its case-sensitive prefix (`private-`, `presence-`, `private-encrypted-`, `cache-`) and treat every other name as public.",
    `${DOC}#channel-names`,
    derived(
      'The channels page names the kinds by prefix ("Private channels should have a `private-` prefix", "Presence channels must be prefixed with `presence-`"). A hub that reads `privatex-room` or `Private-room` as private demands a signature pusher-js never sends for a public channel, so the subscription fails.',
    ),
    { dependsOn: [SUBSCRIBED, 'pusher/auth/3', PINGS] },
  ),

  // subscribe
  req(
    'pusher/subscribe/1',
    'MUST',
    'A hub MUST subscribe a connection to a public channel on `pusher:subscribe` without any `auth`.',
    `${WS}#public-channel-subscription`,
    quote(
      'Since no authorization must take place when subscribing to a public channel the `pusher:subscribe` event can be sent from the client to Pusher Channels as soon as the call to `subscribe` is made.',
    ),
    { dependsOn: [CONNECTED] },
  ),
  req(
    'pusher/subscribe/2',
    'MUST',
    'A hub MUST confirm every successful subscription, of every channel kind, with `pusher_internal:subscription_succeeded` naming the channel.',
    `${WS}#version-4-2011-12`,
    quote('Added a confirmation message after subscribing to public and private channels (already sent for presence channels)'),
    { dependsOn: [SUBSCRIBED, 'pusher/auth/1', 'pusher/auth/2'] },
  ),
  req(
    'pusher/subscribe/3',
    'MUST',
    'A hub MUST deliver each event published to a channel to every connection subscribed to it, and to no other connection.',
    CHANNELS,
    quote('This is because all events published to a channel are sent to all subscribers, regardless of their event binding.'),
    { dependsOn: [SUBSCRIBED, 'pusher/http-api/1'] },
  ),
  req(
    'pusher/subscribe/4',
    'MUST',
    "A hub MUST stop delivering a channel's events to a connection once it has processed that connection's `pusher:unsubscribe` for the channel.",
    `${WS}#subscription-events`,
    quote(
      'The `pusher:unsubscribe` event is generated on the client and sent to Pusher Channels when a client wishes to unsubscribe from a channel.',
    ),
    { dependsOn: [DELIVERED, PINGS] },
  ),
  req(
    'pusher/subscribe/5',
    'MUST',
    "Unsubscribing from one channel MUST NOT affect the connection's other subscriptions.",
    `${WS}#subscription-events`,
    derived(
      'A connection carries many subscriptions and `pusher:unsubscribe` names one channel; pusher-js keeps the others bound, so a hub that drops them loses their events silently.',
    ),
    { dependsOn: [DELIVERED, PINGS] },
  ),
  req(
    'pusher/subscribe/6',
    'MUST',
    "A repeated `pusher:subscribe` for a channel the connection already holds MUST NOT make the hub deliver that channel's events twice.",
    `${DOC}#subscriptions`,
    quote(
      'A repeated `pusher:subscribe` for a channel the connection already holds changes nothing: the connection still gets each event of that channel once.',
    ),
    { dependsOn: [DELIVERED, PINGS] },
  ),
  req(
    'pusher/subscribe/7',
    'SHOULD',
    'A hub SHOULD deliver the events of one channel to each subscriber in the order it accepted them.',
    `${DOC}#subscriptions`,
    quote(
      'A hub should deliver the events of one channel to each subscriber in the order it accepted them; the public documents promise no order, so this is a SHOULD.',
    ),
    { dependsOn: [DELIVERED, 'pusher/http-api/5'] },
  ),

  // auth
  req(
    'pusher/auth/1',
    'MUST',
    'A hub MUST accept a private-channel subscription whose `auth` is `key:hex(HMAC-SHA256(secret, "socket_id:channel"))`.',
    SIG,
    derived(
      'The authentication signatures page defines the string as `<pusher-key>:<signature>`, "a HMAC SHA256 hex digest", over `<socket_id>:<channel_name>` for private channels; every server SDK signs exactly that, so a hub that refuses it refuses every private subscription.',
    ),
    { dependsOn: [CONNECTED] },
  ),
  req(
    'pusher/auth/2',
    'MUST',
    'A hub MUST accept a presence-channel subscription whose `auth` signs `socket_id:channel:channel_data` with the `channel_data` string as sent.',
    SIG,
    derived(
      'For presence channels the signed string adds the JSON-encoded `channel_data`, which the client sends as the string the server signed; a hub that re-serialises it before checking refuses signatures made over other spacing or key order.',
    ),
    { dependsOn: [CONNECTED] },
  ),
  req(
    'pusher/auth/3',
    'MUST',
    'A hub MUST refuse a private or presence subscription that carries no `auth`.',
    `${WS}#subscription-events`,
    quote('If the channel is a presence or private channel then the subscription needs to be authorized.'),
    { dependsOn: [CONNECTED] },
  ),
  req(
    'pusher/auth/4',
    'MUST',
    'A hub MUST refuse a subscription whose signature is forged (made with another secret).',
    `${WS}#subscription-events`,
    quote('If the channel is a presence or private channel then the subscription needs to be authorized.'),
    { dependsOn: [CONNECTED] },
  ),
  req(
    'pusher/auth/5',
    'MUST',
    'A hub MUST refuse a subscription whose signature was made for another socket id.',
    SIG,
    derived(
      'The signed string starts with the `socket_id`, so that a signature authorizes one connection; accepting it on another connection lets anyone who sees one signature join the channel.',
    ),
    { dependsOn: [CONNECTED] },
  ),
  req(
    'pusher/auth/6',
    'MUST',
    'A hub MUST refuse a subscription whose signature was made for another channel.',
    SIG,
    derived(
      'The signed string names the channel, so that a signature authorizes one channel; accepting it for another channel lets a user authorized for one private channel read any other.',
    ),
    { dependsOn: [CONNECTED] },
  ),
  req(
    'pusher/auth/7',
    'MUST',
    'A hub MUST refuse a presence subscription whose `channel_data` differs from the signed one, is not JSON or has no `user_id`.',
    SIG,
    derived(
      'The presence signature covers the `channel_data`, so altered data is an unauthorized identity; data that is not JSON or has no `user_id` gives the hub no member to list, and pusher-js then keys members by `undefined`.',
    ),
    { dependsOn: [CONNECTED] },
  ),
  req(
    'pusher/auth/8',
    'MUST',
    'A refused subscription MUST NOT deliver any event of that channel to the connection, and the connection and its other subscriptions MUST keep working.',
    `${DOC}#channel-authorization`,
    quote('A refused subscription delivers nothing of its channel, and the connection and its other subscriptions keep working.'),
    { dependsOn: ['pusher/auth/4', 'pusher/auth/1', DELIVERED, PINGS] },
  ),
  req(
    'pusher/auth/9',
    'SHOULD',
    'A hub SHOULD refuse an unauthorized subscription with `pusher:error` code 4009 rather than `pusher:subscription_error`.',
    `${WS}#error-codes`,
    derived(
      'The protocol lists `4009: Connection is unauthorized`; `pusher:subscription_error` is the event pusher-js raises itself when its auth endpoint fails, not a frame the server sends. Refusing in another form still keeps the channel closed, so the code is a SHOULD.',
    ),
    { dependsOn: ['pusher/auth/4'] },
  ),

  // presence
  req(
    'pusher/presence/1',
    'MUST',
    'The `subscription_succeeded` data of a presence channel MUST be a JSON string `{presence:{ids, hash, count}}` that includes the subscriber.',
    `${WS}#presence-channel-events`,
    quote('{ "presence": { "ids": Array, "hash": Hash, "count": Integer } }'),
    { dependsOn: ['pusher/auth/2'] },
  ),
  req(
    'pusher/presence/2',
    'MUST',
    'The presence `ids`, `hash` and `count` MUST list each user once, however many connections that user has on the channel.',
    `${WS}#presence-channel-events`,
    quote('An array of unique user identifiers who are subscribe to the channel.'),
    { dependsOn: ['pusher/auth/2'] },
  ),
  req(
    'pusher/presence/3',
    'MUST',
    "A hub MUST pass each member's `user_info` through unchanged in the presence hash and in `member_added`.",
    `${WS}#presence-channel-events`,
    quote(
      'The contents of the `user_info` property depends on what the application server replied with when the access to the presence channel was authorized.',
    ),
    { dependsOn: ['pusher/presence/4'] },
  ),
  req(
    'pusher/presence/4',
    'MUST',
    "A hub MUST send `pusher_internal:member_added` to the other subscribers only when a user's first connection joins the channel.",
    `${PRESENCE}#events`,
    quote(
      "It's quite possible that a user can have multiple connections to the same channel (for example by having multiple browser tabs open) and in this case the events will only be triggered when the first tab is opened.",
    ),
    { dependsOn: ['pusher/auth/2', DELIVERED] },
  ),
  req(
    'pusher/presence/5',
    'MUST',
    'A hub MUST NOT send `member_added` to the connection whose subscription caused it.',
    `${WS}#presence-channel-events`,
    derived(
      'The joining connection learns the member list from its own `subscription_succeeded`; a `member_added` for itself makes pusher-js raise `pusher:member_added` for the user it already lists, and apps announce the user to themselves.',
    ),
    { dependsOn: ['pusher/auth/2', DELIVERED] },
  ),
  req(
    'pusher/presence/6',
    'MUST',
    'A hub MUST send `pusher_internal:member_removed` only when the last connection of a user leaves the channel, by unsubscribe or disconnect.',
    `${PRESENCE}#events`,
    quote(
      "It's quite possible that a user can have multiple connections to the same channel (for example by having multiple browser tabs open) and in this case the events will only be triggered when the last one is closed.",
    ),
    { dependsOn: ['pusher/presence/4', DELIVERED, PINGS] },
  ),
  req(
    'pusher/presence/7',
    'MUST',
    "A hub MUST send `member_removed` when a user's last connection ends without a close frame: at once when its TCP connection closes, and once its ping goes unanswered when the connection stalls.",
    `${WS}#presence-channel-events`,
    quote(
      'When a user unsubscribes from a presence channel by either actually unsubscribing or their WebSocket connection closing the `pusher_internal:member_removed` is triggered on the from Pusher Channels.',
      'Now names how the hub learns of a stalled connection (its unanswered ping, pusher/heartbeat/4), so a hub that never pings is reported blocked for the stalled half instead of failed.',
    ),
    { dependsOn: ['pusher/presence/4', 'pusher/heartbeat/4'] },
  ),
  req(
    'pusher/presence/8',
    'MUST',
    'A hub MUST report user ids as strings in `ids`, hash keys, `member_added` and `member_removed`, converting a numeric `user_id`.',
    `${WS}#presence-channel-events`,
    derived(
      'The protocol types `data.user_id` of `member_added` and `member_removed` as String. pusher-js keys members by the id it receives, so a number in one frame and a string in another leaves a member that can never be removed.',
    ),
    { dependsOn: ['pusher/presence/4'] },
  ),
  req(
    'pusher/presence/9',
    'SHOULD',
    'A hub SHOULD accept a presence subscription whose `channel_data` has a `user_id` and no `user_info`.',
    `${DOC}#presence-channels`,
    quote(
      'A hub should accept such a subscription, and a member it accepted without `user_info` is listed in `ids`, `hash` and `count` like any other.',
    ),
    { dependsOn: ['pusher/auth/2'] },
  ),
  req(
    'pusher/presence/10',
    'MUST',
    'A hub MUST list a member it accepted without `user_info` in `ids`, `hash` and `count` like any other member.',
    `${WS}#presence-channel-events`,
    derived(
      'The protocol defines `ids` as "An array of unique user identifiers who are subscribe to the channel" and `hash` as the map from those ids to their info; pusher-js builds its member list from `hash`, so a member left out of it (because it has no info) is invisible to every other client, while `ids` and `count` say it is there.',
    ),
    { dependsOn: ['pusher/presence/9', 'pusher/presence/1'] },
  ),

  // client-events (capability client_events)
  req(
    'pusher/client-events/1',
    'MUST',
    "A hub MUST relay a `client-` event sent on a private or presence channel the sender is subscribed to, to the channel's other subscribers.",
    `${EVENTS}#triggering-client-events`,
    quote(
      'Some actions may not need validation or persistence and can go directly via the socket to all the other clients connected to the channel.',
    ),
    { capability: 'client_events', dependsOn: ['pusher/auth/1', 'pusher/auth/2'] },
  ),
  req(
    'pusher/client-events/2',
    'MUST',
    'A hub MUST NOT echo a client event to the connection that sent it.',
    `${EVENTS}#message-routing`,
    quote('When you trigger a client event, the event will not be fired in the client which calls `trigger`.'),
    { capability: 'client_events', dependsOn: ['pusher/client-events/1', DELIVERED] },
  ),
  req(
    'pusher/client-events/3',
    'MUST',
    'A hub MUST NOT relay a client event sent on a public channel.',
    `${EVENTS}#triggering-client-events`,
    quote(
      'Client events can only be triggered on private and presence channels because they require authentication',
      'Was "refuse with `pusher:error` and relay nothing"; the events page does not say how the server rejects, so only relaying nothing is required (its case should not demand the `pusher:error`).',
    ),
    { capability: 'client_events', dependsOn: ['pusher/client-events/1', DELIVERED] },
  ),
  req(
    'pusher/client-events/4',
    'MUST',
    'A hub MUST refuse a client event on a channel the sender is not subscribed to and relay nothing.',
    `${EVENTS}#triggering-client-events`,
    quote(
      'Events with any other prefix will be rejected by the Channels server, as will events sent to channels to which the client is not subscribed.',
    ),
    { capability: 'client_events', dependsOn: ['pusher/client-events/1', DELIVERED] },
  ),
  req(
    'pusher/client-events/5',
    'MUST',
    'A hub MUST NOT relay a client-sent event whose name starts neither with `client-` nor is a `pusher:` protocol event.',
    `${EVENTS}#triggering-client-events`,
    quote(
      'Events with any other prefix will be rejected by the Channels server, as will events sent to channels to which the client is not subscribed.',
    ),
    { capability: 'client_events', dependsOn: ['pusher/client-events/1', DELIVERED] },
  ),
  req(
    'pusher/client-events/6',
    'MUST',
    "A hub MUST add the sender's `user_id` to a client event it relays on a presence channel.",
    `${WS}#events`,
    quote('The `user_id` key is only present if this is a client event on a presence channel.'),
    { capability: 'client_events', dependsOn: ['pusher/client-events/1'] },
  ),
  req(
    'pusher/client-events/7',
    'SHOULD',
    'A hub SHOULD answer client events beyond its per-connection rate limit (Pusher: 10 per second; a target may declare its own) with `pusher:error` 4301 and relay none of the excess.',
    `${EVENTS}#rate-limit-your-events`,
    quote(
      'Publish no more than 10 messages per second per client (connection). Any events triggered above this rate limit will be rejected by our API.',
      "Was a MUST. The limit is Pusher's service limit, phrased as advice to clients; a hub without one breaks no client, so limiting (with 4301, the protocol's code for it) is a SHOULD.",
    ),
    { capability: 'client_events', dependsOn: ['pusher/client-events/1'] },
  ),
  req(
    'pusher/client-events/8',
    'SHOULD',
    'A hub SHOULD keep a connection open after rate-limiting its client events with 4301.',
    `${WS}#error-codes`,
    derived(
      '4301 lies in 4300-4399, "Any other type of error", not in a range that ends the connection; the excess is rejected, the connection is not at fault.',
    ),
    { capability: 'client_events', dependsOn: ['pusher/client-events/7', PINGS] },
  ),
  req(
    'pusher/client-events/9',
    'MAY',
    'A hub MAY support client events, advertising `client_events` among its capabilities when it does.',
    `${EVENTS}#triggering-client-events`,
    quote('Client events must be enabled for the application.'),
    { capability: 'client_events', dependsOn: ['pusher/auth/1'] },
  ),

  // http-api
  req(
    'pusher/http-api/1',
    'MUST',
    'A hub MUST publish a signed `POST /apps/{id}/events` to every channel in `channels` (or the single `channel`) and answer 200 with a JSON object.',
    `${REST}#post-event-trigger-an-event`,
    quote('The event has been received and will be sent asynchronously to all sockets. Response is an empty JSON hash.'),
    { dependsOn: [SUBSCRIBED, SIGNED_HTTP] },
  ),
  req(
    'pusher/http-api/2',
    'MUST',
    'A hub MUST answer 400 to an event naming more channels than its limit (Pusher: 100; a target may declare its own) and publish nothing.',
    `${REST}#post-event-trigger-an-event`,
    derived(
      `The reference limits \`channels\` to "Array of one or more channel names - limited to 100 channels". ${REFUSED_NOT_200}`,
      "Now checked against the limit the target declares (Pusher's when it declares none): hubs choose their own limits, and a report lists each one that differs from Pusher's.",
    ),
    { dependsOn: ['pusher/http-api/1', DELIVERED] },
  ),
  req(
    'pusher/http-api/3',
    'MUST',
    'A hub MUST answer 413 to an event whose `data` exceeds its event-size limit (Pusher: 10 KB; a target may declare its own) and publish nothing.',
    `${REST}#post-event-trigger-an-event`,
    quote(
      'If you attempt to POST an event with a larger data parameter, you will receive a 413 error code.',
      "Now checked against the limit the target declares (Pusher's when it declares none): hubs choose their own limits, and a report lists each one that differs from Pusher's.",
    ),
    { dependsOn: ['pusher/http-api/1', DELIVERED] },
  ),
  req(
    'pusher/http-api/4',
    'MUST',
    'A hub MUST NOT deliver an HTTP-published event to the connection whose `socket_id` the request names.',
    `${REST}#post-event-trigger-an-event`,
    quote('Excludes the event from being sent to a specific connection'),
    { dependsOn: [DELIVERED] },
  ),
  req(
    'pusher/http-api/5',
    'MUST',
    'A hub MUST publish every event of a signed `POST /apps/{id}/batch_events` and answer 200.',
    `${REST}#post-batch-events-trigger-multiple-events`,
    quote('Triggers multiple events in a single call (up to 10 per call on the multi-tenant clusters).'),
    { dependsOn: [SUBSCRIBED, SIGNED_HTTP] },
  ),
  req(
    'pusher/http-api/6',
    'MUST',
    'A hub MUST answer 400 to a batch of more events than its limit (Pusher: 10; a target may declare its own) and publish nothing.',
    `${REST}#post-batch-events-trigger-multiple-events`,
    derived(
      `The reference allows "up to 10 per call on the multi-tenant clusters". ${REFUSED_NOT_200}`,
      "Now checked against the limit the target declares (Pusher's when it declares none): hubs choose their own limits, and a report lists each one that differs from Pusher's.",
    ),
    { dependsOn: ['pusher/http-api/5', DELIVERED] },
  ),
  req(
    'pusher/http-api/7',
    'MUST',
    'A hub MUST answer 400 to an event without `name` or without `data`.',
    `${REST}#post-event-trigger-an-event`,
    derived(
      `The reference marks both fields "(required)". ${REFUSED_NOT_200}`,
      'Dropped "or with a `name` longer than 200 characters": no Pusher document states that bound; only the server SDKs enforce it, before sending, so a hub that accepts longer names breaks no client.',
    ),
    { dependsOn: [SIGNED_HTTP] },
  ),
  req(
    'pusher/http-api/8',
    'MUST',
    'A hub MUST list the occupied channels at `GET /apps/{id}/channels`, honouring `filter_by_prefix`.',
    `${REST}#get-channels-fetch-info-for-multiple-channels`,
    quote(
      'Allows fetching a hash of occupied channels (optionally filtered by prefix), and optionally one or more attributes for each channel.',
    ),
    { dependsOn: [SUBSCRIBED, 'pusher/auth/1', SIGNED_HTTP] },
  ),
  req(
    'pusher/http-api/9',
    'MUST',
    'A hub MUST return `user_count` per channel for `info=user_count` when `filter_by_prefix` is `presence-`, and answer 400 to `info=user_count` without that filter.',
    `${REST}#get-channels-fetch-info-for-multiple-channels`,
    quote(
      'If an attribute such as `user_count` is requested, and the request is not limited to presence channels, the API will return an error (400 code).',
    ),
    { dependsOn: ['pusher/auth/2', SIGNED_HTTP] },
  ),
  req(
    'pusher/http-api/10',
    'MUST',
    'A hub MUST answer `GET /apps/{id}/channels/{name}` with `occupied`, plus `user_count` (presence only) and `subscription_count` when asked in `info`.',
    `${REST}#get-channel-fetch-info-for-one-channel`,
    quote(
      'Returns a hash describing the state of the channel. The occupied status is always reported, as well as any requested attributes.',
    ),
    { dependsOn: [SUBSCRIBED, 'pusher/auth/2', SIGNED_HTTP] },
  ),
  req(
    'pusher/http-api/11',
    'MUST',
    'A hub MUST answer `GET /apps/{id}/channels/{name}/users` with `{users:[{id}]}`, each user once, for a presence channel.',
    `${REST}#get-users`,
    quote('Fetch user IDs of user currently subscribed to a presence channel.'),
    { dependsOn: ['pusher/auth/2', SIGNED_HTTP] },
  ),
  req(
    'pusher/http-api/12',
    'MUST',
    'A hub MUST answer 400 to `GET /apps/{id}/channels/{name}/users` for a channel that is not a presence channel.',
    `${REST}#get-users`,
    quote(
      'Only `presence channels` allow this functionality. If you send this request to any other type of channel, you will get a 400 HTTP code.',
    ),
    { dependsOn: [SIGNED_HTTP] },
  ),
  req(
    'pusher/http-api/13',
    'SHOULD',
    'A hub SHOULD send every HTTP API error as a JSON body `{error:{code, message}}`.',
    `${DOC}#http-api`,
    quote('The reference hub sends errors as JSON `{error:{code, message}}`, which hubproof asks for as a SHOULD.'),
    { dependsOn: [SIGNED_HTTP] },
  ),

  // http-auth
  req(
    'pusher/http-auth/1',
    'MUST',
    'A hub MUST accept an HTTP API request signed with `hex(HMAC-SHA256(secret, METHOD\\nPATH\\nsorted lower-cased params))`, including requests made by the official Pusher server SDK.',
    `${REST}#generating-authentication-signatures`,
    quote(
      'The signature is a HMAC SHA256 hex digest. This is generated by signing a string made up of the following components concatenated with newline characters `\\n`.',
    ),
    { dependsOn: [SUBSCRIBED] },
  ),
  req(
    'pusher/http-auth/2',
    'MUST',
    'A hub MUST answer 401 to an HTTP API request that lacks `auth_key`, `auth_timestamp`, `auth_version` or `auth_signature`.',
    `${REST}#authentication`,
    quote('The following query parameters must be included with all requests, and are used to authenticate the request.'),
    { dependsOn: [SIGNED_HTTP] },
  ),
  req(
    'pusher/http-auth/3',
    'MUST',
    'A hub MUST answer 401 to an HTTP API request whose `auth_signature` does not match.',
    `${REST}#general`,
    quote('All requests MUST be authenticated, as described in the Generating authentication signatures section.'),
    { dependsOn: [SIGNED_HTTP] },
  ),
  req(
    'pusher/http-auth/4',
    'MUST',
    'A hub MUST answer 401 to an HTTP API request whose `auth_timestamp` is more than 600 seconds from its clock.',
    `${REST}#authentication`,
    quote('The server will only accept requests where the timestamp is within 600s of the current time'),
    { dependsOn: [SIGNED_HTTP] },
  ),
  req(
    'pusher/http-auth/5',
    'MUST',
    'A hub MUST answer 401 to an HTTP API request with a body whose `body_md5` is missing or does not match the body.',
    `${REST}#authentication`,
    quote(
      'The following query parameters must be included for all requests with a non-empty body (for example for POST requests to `/events`).',
    ),
    { dependsOn: [SIGNED_HTTP] },
  ),
  req(
    'pusher/http-auth/6',
    'MUST',
    "A hub MUST answer 401 to an HTTP API request whose `auth_key` is not the app's key.",
    `${REST}#authentication`,
    derived(
      '`auth_key` is "Your application key", and "All requests MUST be authenticated"; a request that names another key is not authenticated for this app, whatever it signs.',
    ),
    { dependsOn: [SIGNED_HTTP] },
  ),
  req(
    'pusher/http-auth/7',
    'MUST',
    'A hub MUST answer 401 to an HTTP API request whose `auth_version` is not `1.0`.',
    `${REST}#authentication`,
    derived(
      '`auth_version` is "Authentication version, currently 1.0", the only signing scheme defined; a hub that accepts another version accepts a scheme it does not know how to verify.',
    ),
    { dependsOn: [SIGNED_HTTP] },
  ),
  req(
    'pusher/http-auth/8',
    'MUST',
    'A hub MUST publish nothing for a request it refuses with 401.',
    `${REST}#general`,
    derived(
      'The reference answers 401 for an "Authentication error"; a request the hub does not authenticate must not act, or anyone can publish by sending a request it will refuse.',
    ),
    { dependsOn: [SIGNED_HTTP, 'pusher/http-api/1', DELIVERED] },
  ),

  // limits
  req(
    'pusher/limits/1',
    'MUST',
    'A hub MUST accept published events with `data` up to its event-size limit and naming up to its channel limit (Pusher: 10 KB and 100 channels; a target may declare its own).',
    `${REST}#post-event-trigger-an-event`,
    quote(
      'Event data (required) - limited to 10KB',
      "Now checked against the limit the target declares (Pusher's when it declares none): hubs choose their own limits, and a report lists each one that differs from Pusher's.",
    ),
    { dependsOn: ['pusher/http-api/1'] },
  ),

  // cache (capability cache_channels)
  req(
    'pusher/cache/1',
    'MUST',
    'A hub MUST send the last event published on a cache channel right after `subscription_succeeded` to each new subscriber.',
    CACHE,
    quote(
      "Then when a client subscribes to a cache channel, if a cached value exists, it's sent to the client as the first event on that channel.",
    ),
    { capability: 'cache_channels', dependsOn: [SUBSCRIBED, 'pusher/http-api/1'] },
  ),
  req(
    'pusher/cache/2',
    'MUST',
    'A hub MUST send `pusher:cache_miss` to a new subscriber of a cache channel that holds no cached event.',
    `${CACHE}#handling-cache-misses`,
    quote('In addition to the webhook event, the client can also use the event binding feature to subscribe to `pusher:cache_miss` event.'),
    { capability: 'cache_channels', dependsOn: [SUBSCRIBED] },
  ),
  req(
    'pusher/cache/3',
    'MUST',
    'A hub MUST require a signed `auth` for `private-cache-` and `presence-cache-` channels as for their base kinds.',
    CACHE,
    quote('Private cache channel subscriptions must be authorized.'),
    { capability: 'cache_channels', dependsOn: ['pusher/auth/1', 'pusher/auth/2'] },
  ),
  req(
    'pusher/cache/4',
    'MAY',
    'A hub MAY implement cache channels, advertising `cache_channels` among its capabilities when it does.',
    CACHE,
    quote('Cache channels is in beta.'),
    { capability: 'cache_channels', dependsOn: [SUBSCRIBED] },
  ),

  // encrypted (capability encrypted_channels)
  req(
    'pusher/encrypted/1',
    'MUST',
    'A hub MUST require a signed `auth` for `private-encrypted-` channels as for private channels.',
    `${ENCRYPTED}#authenticate`,
    quote('Encrypted channel subscriptions must be authenticated in the exact same way as private channels.'),
    { capability: 'encrypted_channels', dependsOn: ['pusher/auth/1'] },
  ),
  req(
    'pusher/encrypted/2',
    'MUST',
    'A hub MUST relay the `{nonce, ciphertext}` payload of an encrypted channel byte for byte, without inspecting it.',
    ENCRYPTED,
    derived(
      'The `data` field "is encrypted using an implementation of the Secretbox encryption standard defined in NaCl before it leaves your server"; any change to it, re-encoding included, makes every subscriber fail to decrypt.',
    ),
    { capability: 'encrypted_channels', dependsOn: ['pusher/encrypted/1', 'pusher/http-api/1'] },
  ),
  req(
    'pusher/encrypted/3',
    'MUST',
    'A hub MUST refuse client events on `private-encrypted-` channels and relay nothing.',
    `${DOC}#optional-capabilities`,
    derived(
      'The encrypted channels page promises that messages "are guaranteed to come from someone who holds the encryption master key" and says client events "are not currently supported"; clients hold only the channel key, so a relayed client event breaks that guarantee, and pusher-js requests a new key for every event it cannot decrypt. The protocol page notes client events "are not currently prohibited in encrypted channels by the protocol", so this is a rule of the encrypted-channel capability, recorded in docs/protocol.md.',
    ),
    { capability: 'encrypted_channels', dependsOn: ['pusher/encrypted/1', DELIVERED] },
  ),
  req(
    'pusher/encrypted/4',
    'MAY',
    'A hub MAY implement end-to-end encrypted channels, advertising `encrypted_channels` among its capabilities when it does.',
    `${ENCRYPTED}#library-support`,
    derived(
      'End-to-end encryption is a feature apps enable per app with a master key; a hub without it breaks only apps that use `private-encrypted-` channels, which the capability tells them.',
    ),
    { capability: 'encrypted_channels', dependsOn: ['pusher/auth/1'] },
  ),

  // signin (capability signin)
  req(
    'pusher/signin/1',
    'MUST',
    'A hub MUST answer a `pusher:signin` whose `auth` is `key:hex(HMAC-SHA256(secret, "socket_id::user::user_data"))` with `pusher:signin_success` carrying the `user_data`.',
    `${WS}#connection-events`,
    quote(
      'A `pusher:signin` event will result in either a `pusher:signin_success` or a `pusher:error` event being sent back from Pusher Channels to the client.',
    ),
    { capability: 'signin', dependsOn: [CONNECTED] },
  ),
  req(
    'pusher/signin/2',
    'MUST',
    'A hub MUST refuse a `pusher:signin` with a forged or other-socket signature with `pusher:error` and not treat the connection as signed in.',
    `${WS}#connection-events`,
    quote(
      'The `pusher:error` event will contain relevant information for why the operation failed.',
      'Was "with `pusher:error` 4009"; no document names the code for a refused sign-in, so any `pusher:error` refusal passes (its case should not demand 4009).',
    ),
    { capability: 'signin', dependsOn: [CONNECTED] },
  ),
  req(
    'pusher/signin/3',
    'MUST',
    'A hub MUST refuse a `pusher:signin` whose `user_data` is not a JSON object with a non-empty string `id`.',
    `${WS}#connection-events`,
    quote('It must contain at least an `id` field as a `String` containing the user ID.'),
    { capability: 'signin', dependsOn: [CONNECTED] },
  ),
  req(
    'pusher/signin/4',
    'MAY',
    'A hub MAY implement user authentication with `pusher:signin`, advertising `signin` among its capabilities when it does.',
    `${WS}#connection-events`,
    derived(
      'User authentication is an opt-in feature of Pusher apps; a hub without it breaks only apps that call `signin()`, which the capability tells them.',
    ),
    { capability: 'signin', dependsOn: [CONNECTED] },
  ),

  // webhooks (capability webhooks)
  req(
    'pusher/webhooks/1',
    'MUST',
    'A hub MUST POST each webhook as JSON `{time_ms, events}` with `X-Pusher-Key` and `X-Pusher-Signature: hex(HMAC-SHA256(secret, body))`.',
    `${WEBHOOKS}#authentication`,
    quote("`X-Pusher-Signature`: A HMAC SHA256 hex digest formed by signing the POST payload (body) with the token's secret."),
    { capability: 'webhooks', dependsOn: [SUBSCRIBED] },
  ),
  req(
    'pusher/webhooks/2',
    'MUST',
    'A hub MUST send `channel_occupied` when a channel gets its first subscriber and `channel_vacated` when it loses its last.',
    `${WEBHOOKS}#channel-existence-events`,
    quote('Channels will send a `channel_occupied` event whenever any channel becomes occupied (i.e. there is at least one subscriber).'),
    { capability: 'webhooks', dependsOn: [SUBSCRIBED] },
  ),
  req(
    'pusher/webhooks/3',
    'MUST',
    'A hub MUST send `member_added` and `member_removed` webhooks with the `user_id` for presence channels, following the per-user rules of presence events.',
    `${WEBHOOKS}#presence-events`,
    quote('Channels will send a `member_added` event whenever a new user subscribes to a presence channel.'),
    { capability: 'webhooks', dependsOn: ['pusher/auth/2'] },
  ),
  req(
    'pusher/webhooks/4',
    'SHOULD',
    'A hub SHOULD delay `channel_vacated` and `member_removed` webhooks a few seconds and drop them when the channel or member comes back within the delay.',
    `${WEBHOOKS}#webhook-request-delay`,
    quote('If the client reconnects within this delay, no webhooks will be sent.'),
    { capability: 'webhooks', dependsOn: ['pusher/webhooks/2'] },
  ),
  req(
    'pusher/webhooks/5',
    'MAY',
    'A hub MAY send webhooks to a configured URL, advertising `webhooks` among its capabilities when it does.',
    WEBHOOKS,
    quote('You can activate webhooks in your account dashboard on a per app basis.'),
    { capability: 'webhooks', dependsOn: [SUBSCRIBED] },
  ),

  // shutdown
  req(
    'pusher/shutdown/1',
    'MUST',
    'A hub shutting down gracefully MUST close every connection with a code in 4200-4299 so clients reconnect at once.',
    `${DOC}#graceful-shutdown`,
    quote(
      'A hub shutting down gracefully closes every connection with a code in 4200-4299, so clients reconnect at once to another node or to the restarted hub.',
    ),
    { dependsOn: [CONNECTED] },
  ),
  req(
    'pusher/shutdown/2',
    'SHOULD',
    'A hub shutting down gracefully SHOULD deliver the events it accepted before the shutdown began before closing the connections.',
    `${DOC}#graceful-shutdown`,
    quote('It delivers the events it accepted before the shutdown began before it closes the connections.'),
    { dependsOn: ['pusher/shutdown/1', DELIVERED] },
  ),

  // bad-input
  req(
    'pusher/bad-input/1',
    'MUST',
    'A hub MUST answer a frame that is not valid JSON with `pusher:error` and keep the connection and its subscriptions working.',
    `${DOC}#bad-input`,
    quote(BAD_INPUT_RULE),
    { dependsOn: [DELIVERED, PINGS] },
  ),
  req(
    'pusher/bad-input/2',
    'MUST',
    'A hub MUST answer a JSON frame without a string `event` with `pusher:error` and keep the connection and its subscriptions working.',
    `${DOC}#bad-input`,
    quote(BAD_INPUT_RULE),
    { dependsOn: [DELIVERED, PINGS] },
  ),
  req(
    'pusher/bad-input/3',
    'MUST',
    'A hub MUST NOT close a connection that sends an unknown `pusher:` event.',
    `${DOC}#bad-input`,
    quote(BAD_INPUT_RULE),
    { dependsOn: [DELIVERED, PINGS] },
  ),
  req(
    'pusher/bad-input/4',
    'MUST',
    'A hub MUST answer a `pusher:subscribe` whose `data` or `channel` has the wrong type with `pusher:error` and subscribe nothing.',
    `${DOC}#bad-input`,
    quote('Bad input from one client never disturbs another: a hub that crashes on one frame takes every other user down with it.'),
    { dependsOn: [DELIVERED, PINGS] },
  ),
  req(
    'pusher/bad-input/5',
    'MUST',
    'A hub MUST answer a frame larger than its frame limit with `pusher:error` (or close that connection with 1009) without disturbing any other connection.',
    `${DOC}#bad-input`,
    quote("A frame larger than the hub's frame limit may instead close that one connection with 1009."),
    { dependsOn: [DELIVERED, PINGS] },
  ),
  req(
    'pusher/bad-input/6',
    'MUST',
    'A hub MUST ignore or answer with `pusher:error`, never close on, an unsubscribe from a channel the connection does not hold.',
    `${DOC}#bad-input`,
    quote(BAD_INPUT_RULE),
    { dependsOn: [DELIVERED, PINGS] },
  ),
  req(
    'pusher/bad-input/7',
    'SHOULD',
    'A hub SHOULD give the `pusher:error` it sends for bad input that does not end the connection a code in 4300-4399.',
    `${DOC}#close-and-error-codes`,
    quote(
      'The reference hub sends 4302 for bad input; the protocol assigns 4302 to the watchlist limit, so hubproof asks only for a code in 4300-4399.',
      'Was "SHOULD use code 4302"; Pusher gives 4302 another meaning (watchlist limit exceeded), so any code of the "other errors" range passes (its case should accept 4300-4399).',
    ),
    { dependsOn: ['pusher/bad-input/1', 'pusher/bad-input/4'] },
  ),
  req(
    'pusher/bad-input/8',
    'MUST',
    'A hub MUST answer 400 to an HTTP API request whose body is not valid JSON and publish nothing.',
    `${REST}#general`,
    derived(
      'The reference answers a request the caller got wrong with 400, "Error: details in response body"; a 5xx tells the caller (and every proxy and SDK retry policy) that the hub failed and the same request may succeed later, so a malformed body answered 500 is retried and blamed on the hub.',
    ),
    { dependsOn: [SIGNED_HTTP, DELIVERED] },
  ),

  // cluster (a target with several nodes; one node skips them)
  req(
    'pusher/cluster/1',
    'MUST',
    "In a hub of several nodes, an event published through any node's HTTP API MUST reach the channel's subscribers on every node, within 50 ms (p99) on one host under light load.",
    `${DOC}#several-nodes-one-hub`,
    quote(
      "An event published through any node's HTTP API reaches the channel's subscribers on every node, within the propagation bound of one node: 50 ms (p99), same host, light load.",
    ),
    { dependsOn: [DELIVERED, 'pusher/http-api/1'] },
  ),
  req(
    'pusher/cluster/2',
    'MUST',
    'In a hub of several nodes, the presence `ids`, `hash` and `count` of `subscription_succeeded` MUST be the same from every node, listing each user once whichever nodes hold their connections.',
    `${DOC}#several-nodes-one-hub`,
    quote(
      "A presence channel reads the same from every node: `subscription_succeeded` lists the same `ids`, `hash` and `count`, each user once, whichever nodes hold the users' connections.",
    ),
    { dependsOn: ['pusher/presence/1', 'pusher/presence/2'] },
  ),
  req(
    'pusher/cluster/3',
    'MUST',
    "In a hub of several nodes, `member_added` and `member_removed` MUST reach the subscribers on every node once per user: for the user's first connection on any node and their last one on any node.",
    `${DOC}#several-nodes-one-hub`,
    quote(
      "`member_added` and `member_removed` go out once per user, for the user's first connection anywhere and their last one anywhere, to the subscribers on every node.",
    ),
    { dependsOn: ['pusher/presence/4', 'pusher/presence/6'] },
  ),
  req(
    'pusher/cluster/4',
    'MUST',
    'In a hub of several nodes, a publish naming a `socket_id` MUST exclude that connection whichever node holds it and whichever node took the publish.',
    `${DOC}#several-nodes-one-hub`,
    quote('A `socket_id` named in a publish excludes that connection whichever node holds it and whichever node took the publish.'),
    { dependsOn: ['pusher/http-api/4', 'pusher/cluster/1'] },
  ),
  req(
    'pusher/cluster/5',
    'MUST',
    'In a hub of several nodes, a client event MUST reach each other subscriber of the channel exactly once, on every node, and never its sender.',
    `${DOC}#several-nodes-one-hub`,
    quote('A client event reaches each other subscriber exactly once, on every node, and never its sender.'),
    { capability: 'client_events', dependsOn: ['pusher/client-events/1', 'pusher/client-events/2'] },
  ),
  req(
    'pusher/cluster/6',
    'MUST',
    'In a hub of several nodes, `GET /apps/{id}/channels`, `/channels/{name}` and `/channels/{name}/users` MUST give the same cluster-wide answer through every node.',
    `${DOC}#several-nodes-one-hub`,
    quote('The HTTP API answers channel and user queries from the cluster-wide state, the same on every node.'),
    { dependsOn: ['pusher/http-api/8', 'pusher/http-api/10', 'pusher/http-api/11'] },
  ),
  req(
    'pusher/cluster/7',
    'MUST',
    'In a hub of several nodes, each webhook MUST be sent once per cluster-wide change (one `channel_occupied`, one `member_added` per user), however many nodes hold subscriptions.',
    `${DOC}#several-nodes-one-hub`,
    quote(
      "A webhook is sent once per cluster-wide change: one `channel_occupied` when a channel's first subscriber anywhere joins, one `member_added` per user, however many nodes hold subscriptions.",
    ),
    { capability: 'webhooks', dependsOn: ['pusher/webhooks/2', 'pusher/webhooks/3'] },
  ),
  req(
    'pusher/cluster/8',
    'MUST',
    "Two apps, or two hubs under different key prefixes, sharing one store MUST NOT deliver each other's events or list each other's members.",
    `${DOC}#several-nodes-one-hub`,
    quote("Two apps, or two hubs under different key prefixes, sharing one store never see each other's events, members or channels."),
    { dependsOn: [DELIVERED, 'pusher/presence/1'] },
  ),
  req(
    'pusher/cluster/9',
    'MUST',
    'When a node of a hub dies without a goodbye, the other nodes MUST send `member_removed` for the users it held last within the bound the hub states, and keep serving.',
    `${DOC}#several-nodes-one-hub`,
    quote(
      'When a node dies without a goodbye, the other nodes remove its connections within a bound the hub states, sending `member_removed` for users it held last, and keep serving.',
    ),
    { dependsOn: ['pusher/presence/6', 'pusher/cluster/3'] },
  ),
];
