/** The committed spec/generated/* and docs/requirements.md must equal what the zod schemas and the registry generate now. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { GENERATED_DIR, generateArtefacts, generateDocs, REPO_ROOT } from '../../spec/export/artefacts.ts';
import { githubSlug, markdownAnchors } from '../../spec/requirements/sources.ts';
import { REQUIREMENTS } from '../../spec/requirements/index.ts';

const dir = fileURLToPath(GENERATED_DIR);
const files = generateArtefacts();

/** `line N: committed "…" vs generated "…"`, so the failure says where, not only that. */
function firstDifference(committed: string, fresh: string): string {
  const a = committed.split('\n');
  const b = fresh.split('\n');
  const i = a.findIndex((line, n) => line !== b[n]);
  const at = i === -1 ? a.length : i;
  return `first difference at line ${at + 1}: committed ${JSON.stringify(a[at]?.trim() ?? '<end>')} vs generated ${JSON.stringify(b[at]?.trim() ?? '<end>')}`;
}

describe('spec/generated', () => {
  it.each([...files.keys()])('%s matches the zod schemas', (name) => {
    const path = `${dir}${name}`;
    if (!existsSync(path)) expect.fail(`spec/generated/${name} is missing; run npm run spec:export`);
    const committed = readFileSync(path, 'utf8');
    const fresh = files.get(name)!;
    if (committed !== fresh) {
      expect.fail(
        `spec/generated/${name} is out of date with the zod schemas and requirement registry (${firstDifference(committed, fresh)}); run npm run spec:export`,
      );
    }
  });

  it('holds no file that is no longer generated', () => {
    const stale = readdirSync(dir).filter((n) => n.endsWith('.json') && !files.has(n));
    expect(stale, 'stale generated files; run npm run spec:export').toEqual([]);
  });

  it('is deterministic: two generations are byte-identical and end with a newline', () => {
    const again = generateArtefacts();
    for (const [name, content] of files) {
      expect(again.get(name), name).toBe(content);
      expect(content.endsWith('}\n') || content.endsWith(']\n'), name).toBe(true);
    }
  });

  it('publishes all six sync events and the presence update', () => {
    const sync = JSON.parse(files.get('sync.schema.json')!) as { $defs: Record<string, unknown> };
    for (const e of [
      'AgentSessionStarted',
      'AgentParticipantJoined',
      'AgentParticipantLeft',
      'AgentTodoChanged',
      'AgentConflictDetected',
      'AgentConflictResolved',
    ]) {
      expect(Object.keys(sync.$defs)).toContain(e);
    }
    const ap = JSON.parse(files.get('agent-presence.schema.json')!) as { $defs: Record<string, unknown> };
    expect(Object.keys(ap.$defs)).toContain('PresenceUpdate');
  });

  it('resolves every cross-file $ref to a published definition', () => {
    const defs = new Map<string, Set<string>>();
    for (const [name, content] of files) {
      if (name.endsWith('.schema.json')) defs.set(name, new Set(Object.keys((JSON.parse(content) as { $defs: object }).$defs)));
    }
    for (const [name, content] of files) {
      if (!name.endsWith('.schema.json')) continue;
      for (const [, file, id] of content.matchAll(/"\$ref": "([a-z-]*\.schema\.json)?#\/\$defs\/([A-Za-z]+)"/g)) {
        const target = file ?? name;
        expect(defs.get(target)?.has(id!), `${name} → ${target}#/$defs/${id}`).toBe(true);
      }
    }
  });
});

describe('generated docs', () => {
  const root = fileURLToPath(REPO_ROOT);
  const docs = generateDocs();

  it.each([...docs.keys()])('%s matches the requirement registry', (path) => {
    if (!existsSync(`${root}${path}`)) expect.fail(`${path} is missing; run npm run spec:export`);
    const committed = readFileSync(`${root}${path}`, 'utf8');
    const fresh = docs.get(path)!;
    if (committed !== fresh)
      expect.fail(`${path} is out of date with the requirement registry (${firstDifference(committed, fresh)}); run npm run spec:export`);
  });

  it('gives every requirement an anchor in the catalogue and resolves every link to one', () => {
    const md = docs.get('docs/requirements.md')!;
    const anchors = markdownAnchors(md);
    for (const r of REQUIREMENTS) expect(anchors.has(githubSlug(r.id)), r.id).toBe(true);
    const dangling = [...md.matchAll(/\]\(#([^)]+)\)/g)].map((m) => m[1]!).filter((a) => !anchors.has(a));
    expect(dangling).toEqual([]);
  });

  it('shows each requirement with its level, basis and source, and the dependants of a root', () => {
    const md = docs.get('docs/requirements.md')!;
    expect(md).toContain('#### pusher/heartbeat/3\n\n**SHOULD**: A hub SHOULD ping');
    expect(md).toMatch(
      /#### pusher\/http-auth\/4[\s\S]*?> The server will only accept requests where the timestamp is within 600s of the current time/,
    );
    expect(md).toMatch(/#### pusher\/heartbeat\/3[\s\S]*?- Needed by: [^\n]*pusher\/heartbeat\/4/);
  });
});
