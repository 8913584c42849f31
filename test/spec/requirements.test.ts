import { describe, expect, it } from 'vitest';
import { REQUIREMENT_ID_PATTERN, REQUIREMENTS, Requirement, requirementById, selectRequirements } from '../../spec/requirements/index.ts';
import { CLIENT_PROFILES, PROFILES } from '../../spec/schemas/common.ts';

/** The sections docs/protocol.md describes for each profile; every one must hold requirements. */
const EXPECTED_SECTIONS: Record<string, string[]> = {
  pusher: [
    'connection',
    'heartbeat',
    'close-codes',
    'channel-names',
    'subscribe',
    'auth',
    'presence',
    'client-events',
    'http-api',
    'http-auth',
    'limits',
    'cache',
    'encrypted',
    'signin',
    'webhooks',
    'shutdown',
    'bad-input',
  ],
  sync: [
    'hub-info',
    'auth',
    'sessions',
    'participants',
    'todos',
    'envelope',
    'ordering',
    'causality',
    'idempotency',
    'delivery',
    'history',
    'heartbeat',
    'conflicts',
    'propagation',
    'errors',
    'bad-input',
    'cluster',
  ],
  'agent-presence': ['stream', 'api', 'status', 'persistence', 'limits', 'performance', 'bad-input'],
  'pusher-client': [
    'connection',
    'subscribe',
    'events',
    'heartbeat',
    'reconnect',
    'backoff',
    'resubscribe',
    'presence',
    'client-events',
    'robustness',
  ],
};

describe('requirement registry', () => {
  it('has ids that are unique', () => {
    const ids = REQUIREMENTS.map((r) => r.id);
    const dupes = ids.filter((id, i) => ids.indexOf(id) !== i);
    expect(dupes).toEqual([]);
  });

  it('has ids matching profile/section/n', () => {
    const bad = REQUIREMENTS.filter((r) => !REQUIREMENT_ID_PATTERN.test(r.id)).map((r) => r.id);
    expect(bad).toEqual([]);
  });

  it('derives profile and section from the id', () => {
    const bad = REQUIREMENTS.filter((r) => {
      const [profile, section] = r.id.split('/');
      return r.profile !== profile || r.section !== section;
    }).map((r) => r.id);
    expect(bad).toEqual([]);
  });

  it('validates every entry against the Requirement schema', () => {
    for (const r of REQUIREMENTS) expect(Requirement.safeParse(r).success, r.id).toBe(true);
  });

  it('numbers each section 1..n without gaps, in file order', () => {
    const bySection = new Map<string, number[]>();
    for (const r of REQUIREMENTS) {
      const key = `${r.profile}/${r.section}`;
      const n = Number(r.id.split('/')[2]);
      bySection.set(key, [...(bySection.get(key) ?? []), n]);
    }
    for (const [key, numbers] of bySection) {
      expect(numbers, key).toEqual(numbers.map((_, i) => i + 1));
    }
  });

  it('keeps each section contiguous in the registry', () => {
    const seen: string[] = [];
    for (const r of REQUIREMENTS) {
      const key = `${r.profile}/${r.section}`;
      if (seen.at(-1) !== key) {
        expect(seen, `${key} appears in two places`).not.toContain(key);
        seen.push(key);
      }
    }
  });

  it('has every profile of docs/protocol.md and its sections', () => {
    for (const profile of [...PROFILES, ...CLIENT_PROFILES]) {
      const sections = new Set(REQUIREMENTS.filter((r) => r.profile === profile).map((r) => r.section));
      expect(sections.size, profile).toBeGreaterThan(0);
      for (const s of EXPECTED_SECTIONS[profile] ?? []) expect([...sections], `${profile} lacks section ${s}`).toContain(s);
    }
  });

  it('writes the level keyword into the rule text', () => {
    const bad = REQUIREMENTS.filter((r) => !r.text.includes(r.level)).map((r) => r.id);
    expect(bad).toEqual([]);
  });

  it('has texts that are unique', () => {
    const texts = REQUIREMENTS.map((r) => r.text);
    expect(texts.filter((t, i) => texts.indexOf(t) !== i)).toEqual([]);
  });

  it('tags every rule of an optional-capability section with its capability', () => {
    const capabilitySections: Record<string, string> = {
      'pusher/cache': 'cache_channels',
      'pusher/encrypted': 'encrypted_channels',
      'pusher/signin': 'signin',
      'pusher/webhooks': 'webhooks',
      'pusher/client-events': 'client_events',
    };
    for (const r of REQUIREMENTS) {
      const want = capabilitySections[`${r.profile}/${r.section}`];
      if (want) expect(r.capability, r.id).toBe(want);
    }
  });
});

describe('selectRequirements', () => {
  it('returns all requirements for no selector', () => {
    expect(selectRequirements([])).toHaveLength(REQUIREMENTS.length);
  });

  it('selects by id prefix at any depth, on segment boundaries', () => {
    expect(selectRequirements(['pusher']).every((r) => r.profile === 'pusher')).toBe(true);
    expect(selectRequirements(['pusher/presence']).every((r) => r.section === 'presence')).toBe(true);
    expect(selectRequirements(['sync/ordering/1']).map((r) => r.id)).toEqual(['sync/ordering/1']);
    // `sync/ordering/1` must not select `sync/ordering/10` and beyond.
    expect(selectRequirements(['pusher/connection/1']).map((r) => r.id)).toEqual(['pusher/connection/1']);
    expect(selectRequirements(['pusher/conn'])).toEqual([]);
  });

  it('unions several selectors', () => {
    const n = selectRequirements(['pusher/presence']).length + selectRequirements(['sync/ordering']).length;
    expect(selectRequirements(['pusher/presence', 'sync/ordering'])).toHaveLength(n);
  });
});

describe('requirementById', () => {
  it('finds a requirement and misses an unknown id', () => {
    expect(requirementById('pusher/client-events/2')?.text).toMatch(/echo/);
    expect(requirementById('pusher/nope/1')).toBeUndefined();
  });
});
