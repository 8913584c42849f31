/**
 * What a requirement may cite, and how a citation resolves: one of the public documents below (an
 * https URL, optionally with `#fragment`), or a file of this repository (`docs/protocol.md#heading`,
 * whose heading must exist under GitHub's anchor rules).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The public documents the registry cites, without fragment. Add one here when a rule needs it. */
export const PUBLIC_DOCUMENTS = [
  'https://pusher.com/docs/channels/library_auth_reference/pusher-websockets-protocol/',
  'https://pusher.com/docs/channels/library_auth_reference/rest-api/',
  'https://pusher.com/docs/channels/library_auth_reference/auth-signatures/',
  'https://pusher.com/docs/channels/using_channels/channels/',
  'https://pusher.com/docs/channels/using_channels/events/',
  'https://pusher.com/docs/channels/using_channels/presence-channels/',
  'https://pusher.com/docs/channels/using_channels/cache-channels/',
  'https://pusher.com/docs/channels/using_channels/encrypted-channels/',
  'https://pusher.com/docs/channels/server_api/webhooks/',
  'https://www.rfc-editor.org/rfc/rfc6455',
  'https://laravel.com/docs/broadcasting',
] as const;

/** GitHub's heading anchor: lower case, punctuation other than `-` and `_` dropped, spaces to `-`. */
export function githubSlug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

/** Every anchor a markdown file offers: ATX headings (outside code fences), duplicates suffixed -1, -2… */
export function markdownAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    const m = fenced ? null : /^#{1,6}\s+(.+?)\s*#*\s*$/.exec(line);
    if (!m) continue;
    const text = m[1]!.replace(/`([^`]*)`/g, '$1').replace(/\[([^\]]*)\]\([^)]*\)/g, '$1');
    const base = githubSlug(text);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  return anchors;
}

export type SourceKind = { kind: 'web'; document: string; fragment: string } | { kind: 'repo'; path: string; anchor: string };

export function parseSource(source: string): SourceKind {
  if (/^[a-z]+:/i.test(source)) {
    const url = new URL(source);
    return { kind: 'web', document: `${url.origin}${url.pathname}`, fragment: url.hash.slice(1) };
  }
  const [path, anchor = ''] = source.split('#', 2) as [string, string?];
  return { kind: 'repo', path, anchor };
}

/** Why `source` does not resolve against the repository at `root`, or undefined when it does. */
export function sourceProblem(source: string, root: string): string | undefined {
  let parsed: SourceKind;
  try {
    parsed = parseSource(source);
  } catch {
    return `"${source}" is neither a well-formed URL nor a repository path`;
  }
  if (parsed.kind === 'web') {
    if (!source.startsWith('https://')) return `"${source}" is not an https URL`;
    if (!(PUBLIC_DOCUMENTS as readonly string[]).includes(parsed.document))
      return `${parsed.document} is not one of the public documents in spec/requirements/sources.ts`;
    if (!/^[a-z0-9._-]*$/.test(parsed.fragment))
      return `fragment "#${parsed.fragment}" is not a heading anchor (lower-case letters, digits, ., - and _)`;
    return undefined;
  }
  if (parsed.path.startsWith('/') || parsed.path.split('/').includes('..')) return `"${parsed.path}" is not a path inside the repository`;
  const file = join(root, parsed.path);
  if (!existsSync(file) || !statSync(file).isFile()) return `${parsed.path} is not a file of this repository`;
  if (parsed.anchor === '') return undefined;
  if (!parsed.path.endsWith('.md')) return `${parsed.path} is not markdown, so "#${parsed.anchor}" cannot resolve`;
  if (!markdownAnchors(readFileSync(file, 'utf8')).has(parsed.anchor)) return `${parsed.path} has no heading with anchor #${parsed.anchor}`;
  return undefined;
}
