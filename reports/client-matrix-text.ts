/** What `hubproof certify` prints after several clients: a verdict line per client, what each missed, where the comparison is. */
import type { ClientMatrix } from './model/client-matrix.ts';

export function clientMatrixText(m: ClientMatrix, page: string): string {
  const width = Math.max(...m.columns.map((c) => c.label.length));
  const nameWidth = Math.max(...m.columns.map((c) => c.name.length));
  const lines = m.columns.map((c) => {
    const should = c.should.run ? `${c.should.passed}/${c.should.total} SHOULD` : `${c.should.total} SHOULD not run`;
    const missed = c.missed.length ? `  ✗ ${c.missed.map((id) => id.split('/').slice(1).join('/')).join(', ')}` : '';
    return `  ${c.label.padEnd(width)}  ${c.name.padEnd(nameWidth)}  ${c.must.passed}/${c.must.total} MUST · ${should}${missed}`;
  });
  return [
    '',
    `certify: ${m.columns.length} clients, profile ${m.profile}`,
    ...lines,
    `Comparison: ${page}  (each client's certificate in its own folder beside it)`,
    '',
  ].join('\n');
}
