import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CHANNEL_NAME_MAX_LENGTH,
  allowsClientEvents,
  channelKind,
  isCache,
  isEncrypted,
  isPresence,
  isValidChannelName,
  parseSyncChannel,
  requiresAuth,
  syncChannel,
  type ChannelKind,
} from '../../../spec/protocol/channels.ts';

describe('channel names', () => {
  it('accepts 1 to 164 characters of [A-Za-z0-9_-=@,.;]', () => {
    expect(CHANNEL_NAME_MAX_LENGTH).toBe(164);
    expect(isValidChannelName('a')).toBe(true);
    expect(isValidChannelName('Az09_-=@,.;')).toBe(true);
    expect(isValidChannelName('x'.repeat(164))).toBe(true);
  });

  it.each([
    ['empty', ''],
    ['165 characters', 'x'.repeat(165)],
    ['a space', 'a b'],
    ['a slash', 'a/b'],
    ['a colon', 'a:b'],
    ['a non-ASCII letter', 'café'],
    ['a newline', 'a\n'],
  ])('rejects %s', (_label, name) => {
    expect(isValidChannelName(name)).toBe(false);
  });

  it('rejects non-strings', () => {
    for (const v of [undefined, null, 5, {}, ['a']]) expect(isValidChannelName(v)).toBe(false);
  });

  it('accepts every name drawn from the allowed alphabet up to the limit', () => {
    fc.assert(fc.property(fc.stringMatching(/^[A-Za-z0-9_\-=@,.;]{1,164}$/), (n) => isValidChannelName(n)));
  });
});

describe('channel kinds', () => {
  const table: Array<
    [string, ChannelKind, { auth: boolean; presence: boolean; cache: boolean; encrypted: boolean; clientEvents: boolean }]
  > = [
    ['news', 'public', { auth: false, presence: false, cache: false, encrypted: false, clientEvents: false }],
    ['Private-x', 'public', { auth: false, presence: false, cache: false, encrypted: false, clientEvents: false }],
    ['private-x', 'private', { auth: true, presence: false, cache: false, encrypted: false, clientEvents: true }],
    ['presence-x', 'presence', { auth: true, presence: true, cache: false, encrypted: false, clientEvents: true }],
    ['private-encrypted-x', 'private-encrypted', { auth: true, presence: false, cache: false, encrypted: true, clientEvents: false }],
    ['cache-x', 'cache', { auth: false, presence: false, cache: true, encrypted: false, clientEvents: false }],
    ['private-cache-x', 'private-cache', { auth: true, presence: false, cache: true, encrypted: false, clientEvents: true }],
    ['presence-cache-x', 'presence-cache', { auth: true, presence: true, cache: true, encrypted: false, clientEvents: true }],
    [
      'private-encrypted-cache-x',
      'private-encrypted-cache',
      { auth: true, presence: false, cache: true, encrypted: true, clientEvents: false },
    ],
    ['private-session.42', 'private', { auth: true, presence: false, cache: false, encrypted: false, clientEvents: true }],
  ];
  it.each(table)('%s is %s', (name, kind, f) => {
    expect(channelKind(name)).toBe(kind);
    expect(requiresAuth(name)).toBe(f.auth);
    expect(isPresence(name)).toBe(f.presence);
    expect(isCache(name)).toBe(f.cache);
    expect(isEncrypted(name)).toBe(f.encrypted);
    expect(allowsClientEvents(name)).toBe(f.clientEvents);
  });
});

describe('sync channels', () => {
  it('names and parses private-{session,project,issue}.{id}', () => {
    expect(syncChannel('session', 42)).toBe('private-session.42');
    expect(parseSyncChannel('private-issue.7')).toEqual({ kind: 'issue', id: '7' });
    expect(parseSyncChannel('private-project.abc_1')).toEqual({ kind: 'project', id: 'abc_1' });
    for (const bad of ['session.42', 'private-session.', 'private-team.1', 'presence-session.1', 'private-session.1.2']) {
      expect(parseSyncChannel(bad), bad).toBeUndefined();
    }
  });
});
