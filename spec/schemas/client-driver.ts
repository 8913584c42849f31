/**
 * The client driver protocol (`hubproof client`): a driver program wraps one client library. hubproof
 * writes commands to its stdin and reads what the application observes from its stdout, one JSON object
 * per line each way. Documented in docs/client-driver-protocol.md; the JSON Schema
 * (spec/generated/client-driver.schema.json) is generated from these schemas.
 */
import { z } from 'zod';

/** The protocol revision this hubproof speaks; a driver announces the one it speaks in `hello`. */
export const DRIVER_PROTOCOL_VERSION = 1;

const Id = z.number().int().nonnegative().describe('Chosen by hubproof; echoed in the `ack`');
const ClientName = z.string().min(1).describe('Which client instance of the driver (a driver may hold several), e.g. `c1`');
const Channel = z.string().min(1);

export const DriverConnect = z
  .object({
    cmd: z.literal('connect'),
    id: Id,
    client: ClientName,
    key: z.string().min(1).describe('The app key: connect to `/app/{key}`'),
    host: z.string().min(1).describe('WebSocket host (plain `ws`, no TLS)'),
    port: z.number().int().min(1).max(65535),
    auth: z
      .object({
        endpoint: z.url().describe('Channel authorization endpoint: POST form `socket_id`, `channel_name`'),
        params: z.record(z.string(), z.string()).describe('Extra form parameters to send with every authorization request'),
      })
      .describe('Where private and presence channels are authorized'),
    pongTimeoutMs: z
      .number()
      .int()
      .positive()
      .optional()
      .describe('How long the client should wait for a pong before it treats the connection as dead, where the library lets it be set'),
  })
  .meta({ id: 'DriverConnect', description: 'Create the client instance `client` and connect it.' });

export const DriverSubscribe = z
  .object({ cmd: z.literal('subscribe'), id: Id, client: ClientName, channel: Channel })
  .meta({ id: 'DriverSubscribe', description: 'Subscribe the application to a channel, through the library’s own API.' });

export const DriverUnsubscribe = z
  .object({ cmd: z.literal('unsubscribe'), id: Id, client: ClientName, channel: Channel })
  .meta({ id: 'DriverUnsubscribe', description: 'Unsubscribe the application from a channel.' });

export const DriverTrigger = z
  .object({
    cmd: z.literal('trigger'),
    id: Id,
    client: ClientName,
    channel: Channel,
    event: z.string().min(1).describe('As the application passes it, prefix included (`client-typing`)'),
    data: z.unknown().describe('Any JSON value'),
  })
  .meta({
    id: 'DriverTrigger',
    description: 'Trigger a client event on a channel; a library that refuses it answers `ack` with `error` and sends nothing.',
  });

export const DriverMembers = z
  .object({ cmd: z.literal('members'), id: Id, client: ClientName, channel: Channel })
  .meta({ id: 'DriverMembers', description: 'Report the presence members the application sees now, as a `members` observation.' });

export const DriverDisconnect = z
  .object({ cmd: z.literal('disconnect'), id: Id, client: ClientName })
  .meta({ id: 'DriverDisconnect', description: 'Disconnect the client on purpose (it must not reconnect on its own).' });

export const DriverExit = z
  .object({ cmd: z.literal('exit'), id: Id })
  .meta({ id: 'DriverExit', description: 'Disconnect every client, answer `ack`, and exit 0.' });

export const DriverCommand = z
  .discriminatedUnion('cmd', [
    DriverConnect,
    DriverSubscribe,
    DriverUnsubscribe,
    DriverTrigger,
    DriverMembers,
    DriverDisconnect,
    DriverExit,
  ])
  .meta({ id: 'DriverCommand', description: 'One line on the driver’s stdin.' });
export type DriverCommand = z.infer<typeof DriverCommand>;

export const DriverHello = z
  .object({
    type: z.literal('hello'),
    protocol: z.number().int().positive().describe('The driver protocol revision the driver speaks (this document: 1)'),
    driver: z.string().min(1).describe('The driver’s name, e.g. `pusher-js`'),
    library: z.string().min(1).describe('The client library under test, e.g. `pusher-js`'),
    version: z.string().min(1).describe('Its version, as the library reports it'),
  })
  .meta({ id: 'DriverHello', description: 'The first line a driver writes, before reading any command.' });

export const DriverAck = z
  .object({
    type: z.literal('ack'),
    id: Id,
    error: z.string().min(1).optional().describe('Present when the command failed or the library refused it, in the library’s words'),
  })
  .meta({ id: 'DriverAck', description: 'The answer to one command, once the library has taken it.' });

export const DriverState = z
  .object({
    type: z.literal('state'),
    client: ClientName,
    state: z
      .string()
      .min(1)
      .describe(
        'The connection state as the library names it; hubproof reads `connected` (and only that) as "told the app it is connected"',
      ),
    socketId: z.string().optional().describe('With `connected`: the socket id the library gives the application'),
  })
  .meta({ id: 'DriverState', description: 'The library changed its connection state.' });

export const DriverSubscribed = z
  .object({ type: z.literal('subscribed'), client: ClientName, channel: Channel })
  .meta({ id: 'DriverSubscribed', description: 'The library told the application a subscription succeeded.' });

export const DriverSubscriptionError = z
  .object({
    type: z.literal('subscription_error'),
    client: ClientName,
    channel: Channel,
    status: z.number().int().optional().describe('HTTP status of the failed authorization, when the library gives one'),
    message: z.string().optional(),
  })
  .meta({ id: 'DriverSubscriptionError', description: 'The library told the application a subscription failed.' });

export const DriverEvent = z
  .object({
    type: z.literal('event'),
    client: ClientName,
    channel: Channel,
    event: z.string().min(1).describe('The event name as on the wire'),
    data: z.unknown().describe('The data as the application got it (after the library decoded it)'),
    userId: z.string().optional().describe('The sender of a client event on a presence channel, when the library gives it'),
  })
  .meta({ id: 'DriverEvent', description: 'The application received an event of a channel.' });

export const DriverMembersSeen = z
  .object({
    type: z.literal('members'),
    client: ClientName,
    channel: Channel,
    count: z.number().int().nonnegative().describe('The member count the application sees'),
    ids: z.array(z.string()).describe('The user ids of the members the application sees, once each'),
    me: z.string().nullable().describe('The user id the library says is the application’s own, or null'),
  })
  .meta({
    id: 'DriverMembersSeen',
    description: 'The presence members the application sees: after a subscription succeeded, after every member change, and on `members`.',
  });

export const DriverError = z
  .object({
    type: z.literal('error'),
    client: ClientName.optional(),
    message: z.string().min(1),
    code: z.number().int().nullable().optional().describe('The close or `pusher:error` code, when the library gives the application one'),
  })
  .meta({ id: 'DriverError', description: 'The library reported an error to the application.' });

export const DriverLog = z
  .object({ type: z.literal('log'), client: ClientName.optional(), text: z.string() })
  .meta({ id: 'DriverLog', description: 'Free text for the wire log (library warnings, driver notes); never judged.' });

export const DriverObservation = z
  .discriminatedUnion('type', [
    DriverHello,
    DriverAck,
    DriverState,
    DriverSubscribed,
    DriverSubscriptionError,
    DriverEvent,
    DriverMembersSeen,
    DriverError,
    DriverLog,
  ])
  .meta({ id: 'DriverObservation', description: 'One line on the driver’s stdout.' });
export type DriverObservation = z.infer<typeof DriverObservation>;
