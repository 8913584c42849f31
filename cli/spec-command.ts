/**
 * `hubproof spec [--json] [--why] [--level L] [selector…]`: prints the requirement registry, grouped by
 * section, or as a JSON array. `--why` adds each rule's source, its basis (the quoted sentence or the
 * derivation), the requirements its cases need first, and where the reference hub implements it
 * (`file:line` of its `// implements:` lines, or why no hub code does). A selector that matches nothing
 * is a usage mistake (exit 2), not an empty list, so a typo in CI never silently selects zero requirements.
 */
import { parseArgs } from 'node:util';
import { HubproofError } from '../spec/errors.ts';
import { implementationSites, NOT_IMPLEMENTED_BY_HUB, scanAnnotations, type AnnotationScan } from '../spec/requirements/implemented-by.ts';
import { Level, REQUIREMENTS, matchesSelector, selectRequirements, type Requirement } from '../spec/requirements/index.ts';

export interface SpecOptions {
  json: boolean;
  /** Print source, basis and dependencies under each rule. */
  why: boolean;
  level?: Level;
  selectors: string[];
}

export function parseSpecArgs(argv: string[]): SpecOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: { json: { type: 'boolean', default: false }, why: { type: 'boolean', default: false }, level: { type: 'string' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (err) {
    // parseArgs messages are one line but mention `--` tricks; keep only the first sentence.
    const first = String((err as Error).message).split('. ')[0];
    throw new HubproofError('HUBPROOF_ERR_USAGE', `${first}; see hubproof spec --help`);
  }
  const { values, positionals } = parsed;
  let level: Level | undefined;
  if (values.level !== undefined) {
    const l = Level.safeParse(values.level.toUpperCase());
    if (!l.success) throw new HubproofError('HUBPROOF_ERR_USAGE', `--level must be MUST, SHOULD or MAY (got "${values.level}")`);
    level = l.data;
  }
  return { json: values.json ?? false, why: values.why ?? false, level, selectors: positionals };
}

/** Throws HUBPROOF_ERR_SELECTOR for the first selector that matches no requirement. */
export function checkSelectors(selectors: readonly string[], all: readonly Requirement[] = REQUIREMENTS): void {
  for (const s of selectors) {
    if (!all.some((r) => matchesSelector(r.id, s))) {
      throw new HubproofError('HUBPROOF_ERR_SELECTOR', `selector "${s}" matches no requirement; list them with hubproof spec`);
    }
  }
}

/** The `--why` lines of one rule, indented under it. */
function whyLines(r: Requirement, indent: string, scan: AnnotationScan): string[] {
  const out = [`${indent}source: ${r.source}`];
  out.push('quote' in r.basis ? `${indent}quote:  "${r.basis.quote}"` : `${indent}basis:  ${r.basis.derived}`);
  if (r.basis.revised) out.push(`${indent}revised: ${r.basis.revised}`);
  if (r.dependsOn) out.push(`${indent}needs:  ${r.dependsOn.join(', ')}`);
  const sites = implementationSites(r.id, scan);
  const exempt = NOT_IMPLEMENTED_BY_HUB[r.id];
  if (sites.length > 0) sites.forEach((site, i) => out.push(`${indent}${i === 0 ? 'hub:    ' : '        '}${site}`));
  else if (exempt !== undefined) out.push(`${indent}hub:    none — ${exempt}`);
  return out;
}

export function formatTable(reqs: readonly Requirement[], opts: { why?: boolean } = {}): string {
  const idWidth = Math.max(0, ...reqs.map((r) => r.id.length));
  const out: string[] = [];
  // Read once per listing: the reference hub's `// implements:` lines.
  const scan = opts.why ? scanAnnotations() : undefined;
  let current = '';
  for (const r of reqs) {
    const section = `${r.profile}/${r.section}`;
    if (section !== current) {
      if (current !== '') out.push('');
      const count = reqs.filter((x) => x.profile === r.profile && x.section === r.section).length;
      const cap = r.capability ? `  (capability ${r.capability})` : '';
      out.push(`${section}  ${count} requirement${count === 1 ? '' : 's'}${cap}`);
      current = section;
    }
    out.push(`  ${r.id.padEnd(idWidth)}  ${r.level.padEnd(6)}  ${r.text}`);
    if (scan) out.push(...whyLines(r, ' '.repeat(idWidth + 12), scan));
  }
  const by = (l: Level) => reqs.filter((r) => r.level === l).length;
  out.push('', `${reqs.length} requirements: ${by('MUST')} MUST, ${by('SHOULD')} SHOULD, ${by('MAY')} MAY`);
  return `${out.join('\n')}\n`;
}

export async function run(argv: string[]): Promise<number> {
  const opts = parseSpecArgs(argv);
  checkSelectors(opts.selectors);
  const reqs = selectRequirements(opts.selectors).filter((r) => opts.level === undefined || r.level === opts.level);
  process.stdout.write(opts.json ? `${JSON.stringify(reqs, null, 2)}\n` : formatTable(reqs, { why: opts.why }));
  return 0;
}
