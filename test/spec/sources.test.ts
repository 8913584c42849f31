/**
 * Every requirement cites something that exists: a public document of the allow-list, or a file of this
 * repository whose `#heading` is a real anchor. Quotes from this repository's documents are verbatim.
 */
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { REQUIREMENTS } from '../../spec/requirements/index.ts';
import { githubSlug, markdownAnchors, parseSource, sourceProblem } from '../../spec/requirements/sources.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Whitespace collapsed, so a quote may span the line breaks of the markdown it comes from. */
const flat = (text: string) => text.replace(/\s+/g, ' ').trim();

describe('requirement sources', () => {
  it('resolve: allow-listed https documents, or repository files with an existing #heading', () => {
    const problems = REQUIREMENTS.map((r) => [r.id, sourceProblem(r.source, ROOT)] as const).filter(([, p]) => p !== undefined);
    expect(problems).toEqual([]);
  });

  it('no longer point at a protocol document outside the repository', () => {
    expect(REQUIREMENTS.filter((r) => /PROTOCOL\.md/.test(r.source)).map((r) => r.id)).toEqual([]);
  });

  it('quote this repository’s documents verbatim', () => {
    const wrong = REQUIREMENTS.filter((r) => 'quote' in r.basis)
      .map((r) => ({ r, s: parseSource(r.source) }))
      .filter(({ s }) => s.kind === 'repo')
      .filter(
        ({ r, s }) =>
          !flat(readFileSync(join(ROOT, s.kind === 'repo' ? s.path : ''), 'utf8')).includes(flat((r.basis as { quote: string }).quote)),
      )
      .map(({ r }) => r.id);
    expect(wrong).toEqual([]);
  });

  it('cite docs/protocol.md for every decision of the sync and agent-presence profiles, or a public document', () => {
    const elsewhere = REQUIREMENTS.filter(
      (r) => r.profile !== 'pusher' && parseSource(r.source).kind === 'repo' && !r.source.startsWith('docs/protocol.md#'),
    );
    expect(elsewhere.map((r) => r.id)).toEqual([]);
  });
});

describe('sourceProblem', () => {
  const root = mkdtempSync(join(tmpdir(), 'hubproof-sources-'));
  mkdirSync(join(root, 'docs'));
  writeFileSync(
    join(root, 'docs/p.md'),
    '# Title\n\n## Close and error codes\n\n```md\n## Not a heading\n```\n\n## Close and error codes\n',
  );
  writeFileSync(join(root, 'notes.txt'), 'plain');

  it('accepts an allow-listed document, with or without a fragment', () => {
    expect(sourceProblem('https://www.rfc-editor.org/rfc/rfc6455#section-5.5.2', root)).toBeUndefined();
    expect(sourceProblem('https://pusher.com/docs/channels/server_api/webhooks/', root)).toBeUndefined();
  });

  it('refuses a document outside the allow-list, plain http and a malformed fragment', () => {
    expect(sourceProblem('https://example.com/spec', root)).toMatch(/not one of the public documents/);
    expect(sourceProblem('http://www.rfc-editor.org/rfc/rfc6455', root)).toMatch(/not an https URL/);
    expect(sourceProblem('https://www.rfc-editor.org/rfc/rfc6455#Section 5', root)).toMatch(/not a heading anchor/);
  });

  it('accepts a repository file and an anchor GitHub would generate, duplicates suffixed', () => {
    expect(sourceProblem('notes.txt', root)).toBeUndefined();
    expect(sourceProblem('docs/p.md#close-and-error-codes', root)).toBeUndefined();
    expect(sourceProblem('docs/p.md#close-and-error-codes-1', root)).toBeUndefined();
  });

  it('refuses a missing file, a missing heading, a heading inside a code fence, an anchor on a non-markdown file and a path leaving the repository', () => {
    expect(sourceProblem('PROTOCOL.md#profile-pusher', root)).toMatch(/not a file of this repository/);
    expect(sourceProblem('docs/p.md#profile-pusher', root)).toMatch(/no heading with anchor #profile-pusher/);
    expect(sourceProblem('docs/p.md#not-a-heading', root)).toMatch(/no heading/);
    expect(sourceProblem('notes.txt#x', root)).toMatch(/not markdown/);
    expect(sourceProblem('../etc/passwd', root)).toMatch(/not a path inside the repository/);
  });
});

describe('githubSlug and markdownAnchors', () => {
  it('slugs headings the way GitHub anchors them', () => {
    expect(githubSlug('Actors, tokens and channels')).toBe('actors-tokens-and-channels');
    expect(githubSlug('Profile agent-presence')).toBe('profile-agent-presence');
    expect(githubSlug('Version 4 (2011-12)')).toBe('version-4-2011-12');
    expect(githubSlug('pusher/connection/1')).toBe('pusherconnection1');
    expect(githubSlug('Ünïcode & `code`')).toBe('ünïcode--code');
  });

  it('reads ATX headings only, strips inline code and links, and numbers repeats', () => {
    const anchors = markdownAnchors('# A `b` [c](d)\n## A b c\nnot # a heading\n```\n# fenced\n```\n');
    expect([...anchors]).toEqual(['a-b-c', 'a-b-c-1']);
  });
});
