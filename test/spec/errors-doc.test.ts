/** docs/errors.md lists every coded error, every Pusher close code and every HTTP error code. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../spec/errors.ts';
import { CloseCode, DASHBOARD_LIMIT_CLOSE_CODE, DASHBOARD_UNAUTHORIZED_CLOSE_CODE } from '../../spec/protocol/close-codes.ts';
import { requirementById } from '../../spec/requirements/index.ts';
import { SYNC_ERROR_CODES } from '../../spec/schemas/sync.ts';

const doc = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');
/** Table rows only, so a code merely mentioned in prose does not count as documented. */
const rows = doc.split('\n').filter((l) => l.startsWith('| '));

describe('docs/errors.md', () => {
  it.each(Object.keys(ERROR_CODES))('has a row for %s', (code) => {
    expect(rows.some((r) => r.startsWith(`| \`${code}\` |`))).toBe(true);
  });

  it.each(Object.entries(CloseCode))('has a row for %s (%i)', (name, code) => {
    expect(rows.some((r) => r.startsWith(`| ${code} | \`${name}\` |`))).toBe(true);
  });

  it('has rows for the dashboard close codes', () => {
    expect(rows.some((r) => r.startsWith(`| ${DASHBOARD_UNAUTHORIZED_CLOSE_CODE} |`))).toBe(true);
    expect(rows.some((r) => r.startsWith(`| ${DASHBOARD_LIMIT_CLOSE_CODE} |`))).toBe(true);
  });

  it.each([...SYNC_ERROR_CODES])('has a row for HTTP code %s', (code) => {
    expect(rows.some((r) => /^\| \d{3} \| `/.test(r) && r.includes(`| \`${code}\` |`))).toBe(true);
  });

  it('cites only requirement ids that exist', () => {
    const cited = [...doc.matchAll(/`((?:pusher|sync|agent-presence)\/[a-z-]+\/\d+)`/g)].map((m) => m[1]!);
    expect(cited.length).toBeGreaterThan(0);
    expect(cited.filter((id) => requirementById(id) === undefined)).toEqual([]);
  });
});
