/**
 * Where the reference hub implements each requirement, read from its source: a line
 *
 *   // implements: pusher/subscribe/1, pusher/subscribe/3
 *
 * directly above the function, route, branch or declaration that does what those rules say (optionally
 * followed by ` — why here`, when the code below does not say it). A requirement may be named in several
 * places. The few rules that no one place of hub code implements are in NOT_IMPLEMENTED_BY_HUB, with
 * the reason. `hubproof spec --why` prints the places; test/spec/implemented-by.test.ts keeps both
 * honest (every named id exists, every requirement is named or exempt).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HUB_REQUIREMENTS } from './index.ts';
import { REQUIREMENT_ID_PATTERN } from './types.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The reference hub's source, relative to the repository root. */
export const REFERENCE_HUB_DIR = 'reference-server';

/** The one accepted form. */
const ANNOTATION = /^\s*\/\/ implements: (.*?)(?: — (.+))?$/;
/** Anything that looks like an attempt at one (`* implements:`, `//implements:`, `Implements:` …). */
const LOOKS_LIKE_ANNOTATION = /\bimplements:/i;

/**
 * Requirements no place of the reference hub's code implements, each with the reason. Keep it small:
 * a rule that some code exists for belongs in an annotation there.
 */
export const NOT_IMPLEMENTED_BY_HUB: Readonly<Record<string, string>> = {
  'agent-presence/performance/2':
    'A memory bound on the whole process (RSS per 1000 dashboards), measured by the load run; no code exists for it beyond keeping per-dashboard state small everywhere.',
};

export interface ImplementationSite {
  id: string;
  /** Repository-relative, `/`-separated. */
  file: string;
  /** 1-based line of the annotation. */
  line: number;
}

export interface AnnotationScan {
  sites: ImplementationSite[];
  /** Lines that mention `implements:` but are not the accepted form, name something that is not an id, or sit above no code. */
  malformed: string[];
}

/** The annotations of one file's text. */
export function parseAnnotations(text: string, file: string): AnnotationScan {
  const sites: ImplementationSite[] = [];
  const malformed: string[] = [];
  const lines = text.split('\n');
  lines.forEach((raw, i) => {
    if (!LOOKS_LIKE_ANNOTATION.test(raw)) return;
    const where = `${file}:${i + 1}`;
    const m = ANNOTATION.exec(raw.trimEnd());
    if (m === null) {
      malformed.push(`${where}: not the form "// implements: id, id — note": ${raw.trim()}`);
      return;
    }
    // An annotation names the code right below it; one left above a blank line names nothing.
    if ((lines[i + 1] ?? '').trim() === '')
      malformed.push(`${where}: sits above a blank line or the end of the file, not above the code it names`);
    for (const id of m[1]!.split(',').map((s) => s.trim())) {
      if (REQUIREMENT_ID_PATTERN.test(id)) sites.push({ id, file, line: i + 1 });
      else malformed.push(`${where}: "${id}" is not a requirement id (profile/section/n)`);
    }
  });
  return { sites, malformed };
}

/** Every annotation in the `.ts` files under `dir` (repository-relative), in file then line order. */
export function scanAnnotations(dir = REFERENCE_HUB_DIR, root = ROOT): AnnotationScan {
  const files = readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.split(sep).includes('node_modules'))
    .map((f) => `${dir}/${f.split(sep).join('/')}`)
    .sort();
  const out: AnnotationScan = { sites: [], malformed: [] };
  for (const file of files) {
    const scan = parseAnnotations(readFileSync(join(root, file), 'utf8'), file);
    out.sites.push(...scan.sites);
    out.malformed.push(...scan.malformed);
  }
  return out;
}

/** `file:line` of each place the reference hub names `id`. */
export function implementationSites(id: string, scan: AnnotationScan = scanAnnotations()): string[] {
  return scan.sites.filter((s) => s.id === id).map((s) => `${s.file}:${s.line}`);
}

/**
 * What is wrong with the annotations, one line each: malformed lines, ids not in the registry,
 * requirements named nowhere and not exempt, and exemptions that are unknown, unexplained or stale.
 */
export function annotationProblems(
  scan: AnnotationScan,
  requirements: readonly { id: string }[] = HUB_REQUIREMENTS,
  exempt: Readonly<Record<string, string>> = NOT_IMPLEMENTED_BY_HUB,
): string[] {
  const known = new Set(requirements.map((r) => r.id));
  const named = new Set(scan.sites.map((s) => s.id));
  const out = [...scan.malformed];
  for (const s of scan.sites) {
    if (!known.has(s.id)) out.push(`${s.file}:${s.line}: names ${s.id}, which is not in the registry (spec/requirements/)`);
  }
  for (const r of requirements) {
    if (!named.has(r.id) && exempt[r.id] === undefined) {
      out.push(
        `${r.id}: no "// implements:" line under ${REFERENCE_HUB_DIR}/ names it; annotate the code that does it, or exempt it in NOT_IMPLEMENTED_BY_HUB with the reason`,
      );
    }
  }
  for (const [id, reason] of Object.entries(exempt)) {
    if (!known.has(id)) out.push(`NOT_IMPLEMENTED_BY_HUB: ${id} is not in the registry`);
    if (reason.trim().length < 10) out.push(`NOT_IMPLEMENTED_BY_HUB: ${id} needs a reason`);
    if (named.has(id))
      out.push(`NOT_IMPLEMENTED_BY_HUB: ${id} is annotated at ${implementationSites(id, scan).join(', ')}; drop the exemption`);
  }
  return out;
}
