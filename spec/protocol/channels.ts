/**
 * Channel-name rules and kinds.
 * Source: https://pusher.com/docs/channels/using_channels/channels/#channel-naming-conventions
 */
export const CHANNEL_NAME_MAX_LENGTH = 164;
export const CHANNEL_NAME_PATTERN = /^[A-Za-z0-9_\-=@,.;]+$/;

export type ChannelKind =
  'public' | 'private' | 'presence' | 'private-encrypted' | 'cache' | 'private-cache' | 'presence-cache' | 'private-encrypted-cache';

// Longest prefix first, so `private-encrypted-cache-` wins over `private-`.
const PREFIXES: ReadonlyArray<readonly [string, ChannelKind]> = [
  ['private-encrypted-cache-', 'private-encrypted-cache'],
  ['private-encrypted-', 'private-encrypted'],
  ['presence-cache-', 'presence-cache'],
  ['private-cache-', 'private-cache'],
  ['presence-', 'presence'],
  ['private-', 'private'],
  ['cache-', 'cache'],
];

export function isValidChannelName(name: unknown): name is string {
  return typeof name === 'string' && name.length > 0 && name.length <= CHANNEL_NAME_MAX_LENGTH && CHANNEL_NAME_PATTERN.test(name);
}

export function channelKind(name: string): ChannelKind {
  for (const [prefix, kind] of PREFIXES) if (name.startsWith(prefix)) return kind;
  return 'public';
}

/** Private, presence and encrypted channels need a signed `auth` on subscribe. */
export function requiresAuth(name: string): boolean {
  const kind = channelKind(name);
  return kind !== 'public' && kind !== 'cache';
}

export function isPresence(name: string): boolean {
  return name.startsWith('presence-');
}

export function isCache(name: string): boolean {
  return channelKind(name).endsWith('cache');
}

export function isEncrypted(name: string): boolean {
  return name.startsWith('private-encrypted-');
}

/** Client events are only allowed on authenticated, non-encrypted channels. */
export function allowsClientEvents(name: string): boolean {
  return requiresAuth(name) && !isEncrypted(name);
}

export const CLIENT_EVENT_PREFIX = 'client-';

/** The agent-sync profile's channels as Laravel names them (`private-` added by Echo). */
export const SYNC_CHANNEL_PATTERN = /^private-(session|project|issue)\.([A-Za-z0-9_\-]+)$/;

export function syncChannel(kind: 'session' | 'project' | 'issue', id: string | number): string {
  return `private-${kind}.${id}`;
}

export function parseSyncChannel(name: string): { kind: 'session' | 'project' | 'issue'; id: string } | undefined {
  const m = SYNC_CHANNEL_PATTERN.exec(name);
  if (!m) return undefined;
  return { kind: m[1] as 'session' | 'project' | 'issue', id: m[2]! };
}
