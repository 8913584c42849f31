/**
 * The reference hub names the requirements it implements (`// implements: id, …`): every name is a
 * registry id, and every requirement is named somewhere or exempt with a reason. A file walk, no hub.
 */
import { describe, expect, it } from 'vitest';
import { REQUIREMENTS } from '../../spec/requirements/index.ts';
import {
  annotationProblems,
  implementationSites,
  NOT_IMPLEMENTED_BY_HUB,
  parseAnnotations,
  scanAnnotations,
  type AnnotationScan,
} from '../../spec/requirements/implemented-by.ts';

const scan = scanAnnotations();

/** The real scan with one site's id replaced, or every site of one id removed. */
const withTypo = (s: AnnotationScan, from: string, to: string): AnnotationScan => ({
  ...s,
  sites: s.sites.map((site) => (site.id === from ? { ...site, id: to } : site)),
});
const without = (s: AnnotationScan, id: string): AnnotationScan => ({ ...s, sites: s.sites.filter((site) => site.id !== id) });

describe('implements annotations', () => {
  it('reads ids, several per line, with an optional note, at their file and line', () => {
    const text = [
      'const a = 1;',
      '  // implements: pusher/subscribe/1, sync/delivery/2',
      'function f() {}',
      '// implements: agent-presence/stream/1 — ws does it, see below',
      'ws.on(...);',
    ].join('\n');
    expect(parseAnnotations(text, 'x.ts')).toEqual({
      sites: [
        { id: 'pusher/subscribe/1', file: 'x.ts', line: 2 },
        { id: 'sync/delivery/2', file: 'x.ts', line: 2 },
        { id: 'agent-presence/stream/1', file: 'x.ts', line: 4 },
      ],
      malformed: [],
    });
  });

  it('reports lines that try the form and miss it, or sit above no code, so no annotation is silently skipped', () => {
    const text = [
      ' * implements: pusher/subscribe/1',
      '//implements: pusher/subscribe/1',
      '// Implements: pusher/subscribe/1',
      '// implements: pusher/subscribe',
      '// implements: pusher/subscribe/1 pusher/subscribe/2',
      'class A implements B {}',
      '// implements: pusher/subscribe/1',
      '',
      'function orphaned() {}',
    ].join('\n');
    const { sites, malformed } = parseAnnotations(text, 'x.ts');
    expect(sites).toEqual([{ id: 'pusher/subscribe/1', file: 'x.ts', line: 7 }]);
    expect(malformed.map((m) => m.split(':')[1])).toEqual(['1', '2', '3', '4', '5', '7']);
    expect(malformed[5]).toMatch(/sits above a blank line/);
  });

  it('finds annotations in the reference hub (the walk is not vacuous)', () => {
    expect(scan.sites.length).toBeGreaterThan(REQUIREMENTS.length);
    expect(scan.sites.every((s) => s.file.startsWith('reference-server/') && s.file.endsWith('.ts'))).toBe(true);
    expect(implementationSites('pusher/subscribe/1', scan)).toContainEqual(
      expect.stringMatching(/^reference-server\/pusher\/subscribe\.ts:\d+$/),
    );
  });

  it('names only ids of the registry, and every requirement is named or exempt with a reason', () => {
    expect(annotationProblems(scan)).toEqual([]);
  });

  it('fails on an annotation naming an id the registry does not have (a typo)', () => {
    const site = scan.sites.find((s) => s.id === 'pusher/subscribe/3')!;
    const problems = annotationProblems(withTypo(scan, 'pusher/subscribe/3', 'pusher/subscibe/3'));
    expect(problems).toContain(`${site.file}:${site.line}: names pusher/subscibe/3, which is not in the registry (spec/requirements/)`);
  });

  it('fails when a requirement is named nowhere and not exempt', () => {
    const missing = /^sync\/delivery\/2: no "\/\/ implements:" line under reference-server\/ names it/;
    expect(annotationProblems(scan)).not.toContainEqual(expect.stringMatching(missing));
    expect(annotationProblems(without(scan, 'sync/delivery/2'))).toContainEqual(expect.stringMatching(missing));
  });

  it('fails on an exemption that is unknown, unexplained, or stale because the id is annotated', () => {
    const exempt = { ...NOT_IMPLEMENTED_BY_HUB, 'sync/nope/1': 'a reason long enough', 'pusher/subscribe/1': 'x' };
    expect(annotationProblems(scan, REQUIREMENTS, exempt)).toEqual(
      expect.arrayContaining([
        'NOT_IMPLEMENTED_BY_HUB: sync/nope/1 is not in the registry',
        'NOT_IMPLEMENTED_BY_HUB: pusher/subscribe/1 needs a reason',
        expect.stringMatching(
          /^NOT_IMPLEMENTED_BY_HUB: pusher\/subscribe\/1 is annotated at reference-server\/pusher\/subscribe\.ts:\d+; drop the exemption$/,
        ),
      ]),
    );
    // An exempt id that loses its exemption is a missing annotation again.
    for (const id of Object.keys(NOT_IMPLEMENTED_BY_HUB)) {
      expect(annotationProblems(scan, REQUIREMENTS, {})).toContainEqual(expect.stringMatching(new RegExp(`^${id}: no `)));
    }
  });
});
