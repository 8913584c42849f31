/**
 * Profile `pusher`: the Pusher Channels protocol 7 on the wire and its HTTP API.
 * Where PROTOCOL.md and the public Pusher documents disagree about Pusher behaviour, the public document
 * wins and is cited; decisions the public documents leave open cite PROTOCOL.md.
 * Ids are stable: never renumber, only append.
 */
import { req, type Requirement } from './types.ts';

const WS = 'https://pusher.com/docs/channels/library_auth_reference/pusher-websockets-protocol/';
const REST = 'https://pusher.com/docs/channels/library_auth_reference/rest-api/';
const SIG = 'https://pusher.com/docs/channels/library_auth_reference/auth-signatures/';
const P = 'PROTOCOL.md#profile-pusher';
const BAD = 'PROTOCOL.md#bad-input';

export const PUSHER_REQUIREMENTS: readonly Requirement[] = [
  // connection
  req('pusher/connection/1', 'MUST', 'A hub MUST accept a WebSocket connection at `/app/{key}?protocol=7&client=…&version=…` for a known app key.', P),
  req('pusher/connection/2', 'MUST', 'A hub MUST send `pusher:connection_established` as the first frame of every accepted connection.', WS),
  req('pusher/connection/3', 'MUST', 'The `data` of `pusher:connection_established` MUST be a JSON string encoding an object with `socket_id` and `activity_timeout`.', WS),
  req('pusher/connection/4', 'MUST', 'A `socket_id` MUST match `\\d+\\.\\d+` and MUST differ from the socket id of every other open connection.', WS),
  req('pusher/connection/5', 'MUST', 'The announced `activity_timeout` MUST be a positive integer number of seconds.', WS),
  req('pusher/connection/6', 'MUST', 'A hub MUST end a connection made with an unknown app key with error code 4001.', WS),
  req('pusher/connection/7', 'SHOULD', 'A hub SHOULD end a connection that asks for an unsupported protocol version with error code 4007.', WS),
  req('pusher/connection/8', 'SHOULD', 'A hub SHOULD end a connection that gives no `protocol` parameter with error code 4008.', WS),
  req('pusher/connection/9', 'MUST', 'A hub MUST send every frame as a UTF-8 text message holding one JSON object with a string `event`.', WS),
  req('pusher/connection/10', 'MUST', 'A hub MUST send the `data` of every channel event as a string, relaying the publisher\'s string unchanged.', WS),

  // heartbeat
  req('pusher/heartbeat/1', 'MUST', 'A hub MUST answer a `pusher:ping` frame with a `pusher:pong` frame on the same connection.', WS),
  req('pusher/heartbeat/2', 'MUST', 'A hub MUST answer a WebSocket ping control frame with a pong control frame.', 'https://www.rfc-editor.org/rfc/rfc6455#section-5.5.2'),
  req('pusher/heartbeat/3', 'MUST', 'A hub MUST ping a connection from which it has received nothing for its announced `activity_timeout`.', WS),
  req('pusher/heartbeat/4', 'MUST', 'A hub MUST close a connection with code 4201 when no pong arrives within its declared pong timeout after its ping.', WS),
  req('pusher/heartbeat/5', 'MUST', 'A hub MUST accept either a `pusher:pong` frame or a WebSocket pong control frame as the answer to its ping and keep that connection open.', P),

  // close-codes
  req('pusher/close-codes/1', 'MUST', 'A hub MUST use codes 4000-4099 only for errors after which the client must not reconnect unchanged.', WS),
  req('pusher/close-codes/2', 'MUST', 'A hub MUST use codes 4100-4199 only for conditions after which the client should reconnect after backing off.', WS),
  req('pusher/close-codes/3', 'MUST', 'A hub MUST use codes 4200-4299 only for conditions after which the client may reconnect at once.', WS),
  req('pusher/close-codes/4', 'MUST', 'A hub MUST use codes 4300-4399 for other errors, with 4301 meaning the client-event rate limit was exceeded.', WS),
  req('pusher/close-codes/5', 'MUST', 'Every `pusher:error` frame MUST carry a human-readable `message` and a numeric `code` (or null).', WS),
  req('pusher/close-codes/6', 'SHOULD', 'A hub SHOULD send `pusher:error` data as a JSON object `{message, code}`, not as a double-encoded string.', WS),

  // channel-names
  req('pusher/channel-names/1', 'MUST', 'A hub MUST accept channel names of 1 to 164 characters drawn from `[A-Za-z0-9_\\-=@,.;]`.', 'https://pusher.com/docs/channels/using_channels/channels/#channel-naming-conventions'),
  req('pusher/channel-names/2', 'MUST', 'A hub MUST refuse a subscription to a channel name longer than 164 characters or holding any other character with `pusher:error`, without closing the connection.', P),
  req('pusher/channel-names/3', 'MUST', 'A hub MUST derive a channel\'s kind from its case-sensitive prefix (`private-`, `presence-`, `private-encrypted-`, `cache-`) and treat every other name as public.', WS),

  // subscribe
  req('pusher/subscribe/1', 'MUST', 'A hub MUST subscribe a connection to a public channel on `pusher:subscribe` without any `auth`.', WS),
  req('pusher/subscribe/2', 'MUST', 'A hub MUST confirm every successful subscription, of every channel kind, with `pusher_internal:subscription_succeeded` naming the channel.', WS),
  req('pusher/subscribe/3', 'MUST', 'A hub MUST deliver each event published to a channel to every connection subscribed to it, and to no other connection.', WS),
  req('pusher/subscribe/4', 'MUST', 'A hub MUST stop delivering a channel\'s events to a connection once it has processed that connection\'s `pusher:unsubscribe` for the channel.', WS),
  req('pusher/subscribe/5', 'MUST', 'Unsubscribing from one channel MUST NOT affect the connection\'s other subscriptions.', WS),
  req('pusher/subscribe/6', 'MUST', 'A repeated `pusher:subscribe` for a channel the connection already holds MUST NOT make the hub deliver that channel\'s events twice.', P),
  req('pusher/subscribe/7', 'SHOULD', 'A hub SHOULD deliver the events of one channel to each subscriber in the order it accepted them.', P),

  // auth
  req('pusher/auth/1', 'MUST', 'A hub MUST accept a private-channel subscription whose `auth` is `key:hex(HMAC-SHA256(secret, "socket_id:channel"))`.', SIG),
  req('pusher/auth/2', 'MUST', 'A hub MUST accept a presence-channel subscription whose `auth` signs `socket_id:channel:channel_data` with the `channel_data` string as sent.', SIG),
  req('pusher/auth/3', 'MUST', 'A hub MUST refuse a private or presence subscription that carries no `auth`.', P),
  req('pusher/auth/4', 'MUST', 'A hub MUST refuse a subscription whose signature is forged (made with another secret).', P),
  req('pusher/auth/5', 'MUST', 'A hub MUST refuse a subscription whose signature was made for another socket id.', P),
  req('pusher/auth/6', 'MUST', 'A hub MUST refuse a subscription whose signature was made for another channel.', SIG),
  req('pusher/auth/7', 'MUST', 'A hub MUST refuse a presence subscription whose `channel_data` differs from the signed one, is not JSON or has no `user_id`.', SIG),
  req('pusher/auth/8', 'MUST', 'A refused subscription MUST NOT deliver any event of that channel to the connection, and the connection and its other subscriptions MUST keep working.', P),
  req('pusher/auth/9', 'SHOULD', 'A hub SHOULD refuse an unauthorized subscription with `pusher:error` code 4009 rather than `pusher:subscription_error`.', P),

  // presence
  req('pusher/presence/1', 'MUST', 'The `subscription_succeeded` data of a presence channel MUST be a JSON string `{presence:{ids, hash, count}}` that includes the subscriber.', WS),
  req('pusher/presence/2', 'MUST', 'The presence `ids`, `hash` and `count` MUST list each user once, however many connections that user has on the channel.', P),
  req('pusher/presence/3', 'MUST', 'A hub MUST pass each member\'s `user_info` through unchanged in the presence hash and in `member_added`.', P),
  req('pusher/presence/4', 'MUST', 'A hub MUST send `pusher_internal:member_added` to the other subscribers only when a user\'s first connection joins the channel.', P),
  req('pusher/presence/5', 'MUST', 'A hub MUST NOT send `member_added` to the connection whose subscription caused it.', WS),
  req('pusher/presence/6', 'MUST', 'A hub MUST send `pusher_internal:member_removed` only when the last connection of a user leaves the channel, by unsubscribe or disconnect.', P),
  req('pusher/presence/7', 'MUST', 'A hub MUST send `member_removed` when a user\'s last connection drops without a close frame, once it detects the drop.', P),
  req('pusher/presence/8', 'MUST', 'A hub MUST report user ids as strings in `ids`, hash keys, `member_added` and `member_removed`, converting a numeric `user_id`.', WS),

  // client-events (capability client_events)
  req('pusher/client-events/1', 'MUST', 'A hub MUST relay a `client-` event sent on a private or presence channel the sender is subscribed to, to the channel\'s other subscribers.', WS, { capability: 'client_events' }),
  req('pusher/client-events/2', 'MUST', 'A hub MUST NOT echo a client event to the connection that sent it.', WS, { capability: 'client_events' }),
  req('pusher/client-events/3', 'MUST', 'A hub MUST refuse a client event on a public channel with `pusher:error` and relay nothing.', WS, { capability: 'client_events' }),
  req('pusher/client-events/4', 'MUST', 'A hub MUST refuse a client event on a channel the sender is not subscribed to and relay nothing.', P, { capability: 'client_events' }),
  req('pusher/client-events/5', 'MUST', 'A hub MUST NOT relay a client-sent event whose name starts neither with `client-` nor is a `pusher:` protocol event.', WS, { capability: 'client_events' }),
  req('pusher/client-events/6', 'MUST', 'A hub MUST add the sender\'s `user_id` to a client event it relays on a presence channel.', WS, { capability: 'client_events' }),
  req('pusher/client-events/7', 'MUST', 'A hub MUST answer client events beyond its per-connection rate limit with `pusher:error` 4301 and relay none of the excess.', P, { capability: 'client_events' }),
  req('pusher/client-events/8', 'SHOULD', 'A hub SHOULD keep a connection open after rate-limiting its client events with 4301.', WS, { capability: 'client_events' }),
  req('pusher/client-events/9', 'MAY', 'A hub MAY support client events, advertising `client_events` among its capabilities when it does.', WS, { capability: 'client_events' }),

  // http-api
  req('pusher/http-api/1', 'MUST', 'A hub MUST publish a signed `POST /apps/{id}/events` to every channel in `channels` (or the single `channel`) and answer 200 with a JSON object.', REST),
  req('pusher/http-api/2', 'MUST', 'A hub MUST answer 400 to an event naming more than 100 channels and publish nothing.', REST),
  req('pusher/http-api/3', 'MUST', 'A hub MUST answer 413 to an event whose `data` exceeds 10 KB and publish nothing.', REST),
  req('pusher/http-api/4', 'MUST', 'A hub MUST NOT deliver an HTTP-published event to the connection whose `socket_id` the request names.', REST),
  req('pusher/http-api/5', 'MUST', 'A hub MUST publish every event of a signed `POST /apps/{id}/batch_events` and answer 200.', REST),
  req('pusher/http-api/6', 'MUST', 'A hub MUST answer 400 to a batch of more than 10 events and publish nothing.', REST),
  req('pusher/http-api/7', 'MUST', 'A hub MUST answer 400 to an event without `name` or `data`, or with a `name` longer than 200 characters.', REST),
  req('pusher/http-api/8', 'MUST', 'A hub MUST list the occupied channels at `GET /apps/{id}/channels`, honouring `filter_by_prefix`.', REST),
  req('pusher/http-api/9', 'MUST', 'A hub MUST return `user_count` per channel for `info=user_count` when `filter_by_prefix` is `presence-`, and answer 400 to `info=user_count` without that filter.', REST),
  req('pusher/http-api/10', 'MUST', 'A hub MUST answer `GET /apps/{id}/channels/{name}` with `occupied`, plus `user_count` (presence only) and `subscription_count` when asked in `info`.', REST),
  req('pusher/http-api/11', 'MUST', 'A hub MUST answer `GET /apps/{id}/channels/{name}/users` with `{users:[{id}]}`, each user once, for a presence channel.', REST),
  req('pusher/http-api/12', 'MUST', 'A hub MUST answer 400 to `GET /apps/{id}/channels/{name}/users` for a channel that is not a presence channel.', REST),
  req('pusher/http-api/13', 'SHOULD', 'A hub SHOULD send every HTTP API error as a JSON body `{error:{code, message}}`.', P),

  // http-auth
  req('pusher/http-auth/1', 'MUST', 'A hub MUST accept an HTTP API request signed with `hex(HMAC-SHA256(secret, METHOD\\nPATH\\nsorted lower-cased params))`, including requests made by the official Pusher server SDK.', REST),
  req('pusher/http-auth/2', 'MUST', 'A hub MUST answer 401 to an HTTP API request that lacks `auth_key`, `auth_timestamp`, `auth_version` or `auth_signature`.', REST),
  req('pusher/http-auth/3', 'MUST', 'A hub MUST answer 401 to an HTTP API request whose `auth_signature` does not match.', REST),
  req('pusher/http-auth/4', 'MUST', 'A hub MUST answer 401 to an HTTP API request whose `auth_timestamp` is more than 600 seconds from its clock.', REST),
  req('pusher/http-auth/5', 'MUST', 'A hub MUST answer 401 to an HTTP API request with a body whose `body_md5` is missing or does not match the body.', REST),
  req('pusher/http-auth/6', 'MUST', 'A hub MUST answer 401 to an HTTP API request whose `auth_key` is not the app\'s key.', REST),
  req('pusher/http-auth/7', 'MUST', 'A hub MUST answer 401 to an HTTP API request whose `auth_version` is not `1.0`.', REST),
  req('pusher/http-auth/8', 'MUST', 'A hub MUST publish nothing for a request it refuses with 401.', P),

  // limits
  req('pusher/limits/1', 'MUST', 'A hub MUST accept published events with `data` up to 10 KB and up to 100 channels.', REST),

  // cache (capability cache_channels)
  req('pusher/cache/1', 'MUST', 'A hub MUST send the last event published on a cache channel right after `subscription_succeeded` to each new subscriber.', 'https://pusher.com/docs/channels/using_channels/cache-channels/', { capability: 'cache_channels' }),
  req('pusher/cache/2', 'MUST', 'A hub MUST send `pusher:cache_miss` to a new subscriber of a cache channel that holds no cached event.', WS, { capability: 'cache_channels' }),
  req('pusher/cache/3', 'MUST', 'A hub MUST require a signed `auth` for `private-cache-` and `presence-cache-` channels as for their base kinds.', 'https://pusher.com/docs/channels/using_channels/cache-channels/', { capability: 'cache_channels' }),
  req('pusher/cache/4', 'MAY', 'A hub MAY implement cache channels, advertising `cache_channels` among its capabilities when it does.', 'https://pusher.com/docs/channels/using_channels/cache-channels/', { capability: 'cache_channels' }),

  // encrypted (capability encrypted_channels)
  req('pusher/encrypted/1', 'MUST', 'A hub MUST require a signed `auth` for `private-encrypted-` channels as for private channels.', 'https://pusher.com/docs/channels/using_channels/encrypted-channels/', { capability: 'encrypted_channels' }),
  req('pusher/encrypted/2', 'MUST', 'A hub MUST relay the `{nonce, ciphertext}` payload of an encrypted channel byte for byte, without inspecting it.', 'https://pusher.com/docs/channels/using_channels/encrypted-channels/', { capability: 'encrypted_channels' }),
  req('pusher/encrypted/3', 'MUST', 'A hub MUST refuse client events on `private-encrypted-` channels and relay nothing.', 'https://pusher.com/docs/channels/using_channels/encrypted-channels/', { capability: 'encrypted_channels' }),
  req('pusher/encrypted/4', 'MAY', 'A hub MAY implement end-to-end encrypted channels, advertising `encrypted_channels` among its capabilities when it does.', 'https://pusher.com/docs/channels/using_channels/encrypted-channels/', { capability: 'encrypted_channels' }),

  // signin (capability signin)
  req('pusher/signin/1', 'MUST', 'A hub MUST answer a `pusher:signin` whose `auth` is `key:hex(HMAC-SHA256(secret, "socket_id::user::user_data"))` with `pusher:signin_success` carrying the `user_data`.', WS, { capability: 'signin' }),
  req('pusher/signin/2', 'MUST', 'A hub MUST refuse a `pusher:signin` with a forged or other-socket signature with `pusher:error` 4009 and not treat the connection as signed in.', WS, { capability: 'signin' }),
  req('pusher/signin/3', 'MUST', 'A hub MUST refuse a `pusher:signin` whose `user_data` is not a JSON object with a non-empty string `id`.', SIG, { capability: 'signin' }),
  req('pusher/signin/4', 'MAY', 'A hub MAY implement user authentication with `pusher:signin`, advertising `signin` among its capabilities when it does.', WS, { capability: 'signin' }),

  // webhooks (capability webhooks)
  req('pusher/webhooks/1', 'MUST', 'A hub MUST POST each webhook as JSON `{time_ms, events}` with `X-Pusher-Key` and `X-Pusher-Signature: hex(HMAC-SHA256(secret, body))`.', 'https://pusher.com/docs/channels/server_api/webhooks/', { capability: 'webhooks' }),
  req('pusher/webhooks/2', 'MUST', 'A hub MUST send `channel_occupied` when a channel gets its first subscriber and `channel_vacated` when it loses its last.', 'https://pusher.com/docs/channels/server_api/webhooks/', { capability: 'webhooks' }),
  req('pusher/webhooks/3', 'MUST', 'A hub MUST send `member_added` and `member_removed` webhooks with the `user_id` for presence channels, following the per-user rules of presence events.', 'https://pusher.com/docs/channels/server_api/webhooks/', { capability: 'webhooks' }),
  req('pusher/webhooks/4', 'SHOULD', 'A hub SHOULD delay `channel_vacated` and `member_removed` webhooks a few seconds and drop them when the channel or member comes back within the delay.', 'https://pusher.com/docs/channels/server_api/webhooks/', { capability: 'webhooks' }),
  req('pusher/webhooks/5', 'MAY', 'A hub MAY send webhooks to a configured URL, advertising `webhooks` among its capabilities when it does.', 'https://pusher.com/docs/channels/server_api/webhooks/', { capability: 'webhooks' }),

  // shutdown
  req('pusher/shutdown/1', 'MUST', 'A hub shutting down gracefully MUST close every connection with a code in 4200-4299 so clients reconnect at once.', P),
  req('pusher/shutdown/2', 'SHOULD', 'A hub shutting down gracefully SHOULD deliver the events it accepted before the shutdown began before closing the connections.', P),

  // bad-input
  req('pusher/bad-input/1', 'MUST', 'A hub MUST answer a frame that is not valid JSON with `pusher:error` and keep the connection and its subscriptions working.', BAD),
  req('pusher/bad-input/2', 'MUST', 'A hub MUST answer a JSON frame without a string `event` with `pusher:error` and keep the connection and its subscriptions working.', BAD),
  req('pusher/bad-input/3', 'MUST', 'A hub MUST NOT close a connection that sends an unknown `pusher:` event.', BAD),
  req('pusher/bad-input/4', 'MUST', 'A hub MUST answer a `pusher:subscribe` whose `data` or `channel` has the wrong type with `pusher:error` and subscribe nothing.', BAD),
  req('pusher/bad-input/5', 'MUST', 'A hub MUST answer a frame larger than its frame limit with `pusher:error` (or close that connection with 1009) without disturbing any other connection.', BAD),
  req('pusher/bad-input/6', 'MUST', 'A hub MUST ignore or answer with `pusher:error`, never close on, an unsubscribe from a channel the connection does not hold.', BAD),
  req('pusher/bad-input/7', 'SHOULD', 'A hub SHOULD use code 4302 in the `pusher:error` it sends for bad input that does not end the connection.', BAD),
  req('pusher/bad-input/8', 'MUST', 'A hub MUST answer 400 to an HTTP API request whose body is not valid JSON and publish nothing.', BAD),
];
