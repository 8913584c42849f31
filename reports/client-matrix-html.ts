/**
 * The comparison page of several clients (`hubproof certify --client A --client B`): their verdicts, then
 * a requirement-by-client table of outcomes, each column heading linking to that client's own certificate.
 */
import { VERDICT_CLASS } from './certify-html.ts';
import { badge } from './conformance-html.ts';
import { html, htmlPage, type RawHtml } from './html-page.ts';
import type { ClientColumn, ClientMatrix } from './model/client-matrix.ts';

function head(c: ClientColumn): RawHtml {
  const should = c.should.run ? `${c.should.passed}/${c.should.total} SHOULD` : 'SHOULD not run';
  return html`<th class="client"><a href="${c.dir}/index.html">${c.name}</a><div class="muted mono">${c.driver}</div><div class="t-${VERDICT_CLASS[c.verdict]}">${c.label}</div><div class="muted">${c.must.passed}/${c.must.total} MUST · ${should}</div></th>`;
}

export function clientMatrixHtml(m: ClientMatrix, meta: { harness: string; startedAt: string }): string {
  const rows = m.rows.map(
    (r) =>
      html`<tr class="${new Set(r.outcomes).size > 1 ? 'differs' : ''}"><td class="mono" title="${r.text}">${r.id}</td><td>${r.level}</td>${r.outcomes.map((o) => html`<td>${o === null ? html`<span class="muted">–</span>` : badge(o)}</td>`)}</tr>`,
  );
  const body = html`<p>Each column is one client's certificate (follow its name for the whole report: the rules' text, wire logs, replay commands; a requirement's rule shows when you point at its id). Rows where the clients differ are marked.</p>
<table id="client-matrix"><thead><tr><th>Requirement</th><th>Level</th>${m.columns.map(head)}</tr></thead><tbody>${rows}</tbody></table>`;
  return htmlPage({
    title: `hubproof certify — ${m.columns.length} clients, profile ${m.profile}`,
    meta: html`${meta.harness} · ${meta.startedAt} · judged against hubproof scripted hub (one per case)`,
    body,
    css: `
#client-matrix th { vertical-align: bottom; }
#client-matrix th.client { text-transform: none; letter-spacing: 0; max-width: 200px; word-break: break-all; font-weight: normal; }
#client-matrix th.client a { font-weight: 600; }
#client-matrix tr.differs td:first-child { border-left: 3px solid var(--fail, #c62828); }
`,
  });
}
