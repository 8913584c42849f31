/**
 * The shared shell of every hubproof HTML report: one self-contained file, inline CSS, no scripts or
 * assets from elsewhere, readable when opened from disk or attached to a CI run.
 */

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** Tagged template that escapes every interpolated value unless it is `raw(…)`. */
export class RawHtml {
  constructor(readonly html: string) {}
}
export const raw = (html: string): RawHtml => new RawHtml(html);
export function html(strings: TemplateStringsArray, ...values: unknown[]): RawHtml {
  let out = strings[0]!;
  values.forEach((v, i) => {
    out += render(v) + strings[i + 1]!;
  });
  return new RawHtml(out);
}
function render(v: unknown): string {
  if (v instanceof RawHtml) return v.html;
  if (Array.isArray(v)) return v.map(render).join('');
  if (v === undefined || v === null || v === false) return '';
  return escapeHtml(String(v));
}

export const BASE_CSS = `
:root { --fg:#1b1f24; --muted:#5b6470; --line:#d8dde3; --bg:#ffffff; --panel:#f5f7f9;
  --pass:#1a7f37; --fail:#cf222e; --warn:#9a6700; --skip:#6e7781; --unimpl:#0969da; --info:#8250df;
  --blocked:#953800; --xfail:#6639ba; --fixed:#0a7d6f; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
header { padding: 20px 28px; border-bottom: 1px solid var(--line); background: var(--panel); }
header h1 { margin: 0 0 4px; font-size: 20px; }
header .meta { color: var(--muted); font-size: 13px; }
main { padding: 20px 28px 48px; max-width: 1280px; }
h2 { font-size: 16px; margin: 28px 0 10px; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 6px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-size: 12px; text-transform: uppercase; letter-spacing: .03em; color: var(--muted); }
code, pre, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; }
pre { background: var(--panel); border: 1px solid var(--line); padding: 8px 10px; overflow-x: auto; white-space: pre-wrap; word-break: break-word; margin: 6px 0; }
details > summary { cursor: pointer; color: var(--muted); }
.cards { display: flex; flex-wrap: wrap; gap: 10px; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 10px 14px; min-width: 120px; background: var(--bg); }
.card .n { font-size: 22px; font-weight: 600; }
.card .l { color: var(--muted); font-size: 12px; text-transform: uppercase; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; font-weight: 600; color: #fff; white-space: nowrap; }
.o-pass { background: var(--pass); } .o-fail { background: var(--fail); } .o-non-strict { background: var(--warn); }
.o-skipped { background: var(--skip); } .o-unimplemented { background: var(--unimpl); } .o-informational { background: var(--info); }
.o-blocked { background: var(--blocked); } .o-expected-fail { background: var(--xfail); } .o-fixed { background: var(--fixed); }
.t-pass { color: var(--pass); } .t-fail { color: var(--fail); } .t-non-strict { color: var(--warn); }
.t-skipped { color: var(--skip); } .t-unimplemented { color: var(--unimpl); } .t-informational { color: var(--info); }
.t-blocked { color: var(--blocked); } .t-expected-fail { color: var(--xfail); } .t-fixed { color: var(--fixed); }
tr.row-fail { background: #fff5f5; } tr.row-non-strict { background: #fffbea; } tr.row-blocked { background: #fff8f0; }
.findings { border-left: 4px solid var(--fail); padding: 6px 12px; margin: 12px 0; background: #fff5f5; font-weight: 600; }
.findings.info { border-left-color: var(--info); background: var(--panel); font-weight: normal; }
.muted { color: var(--muted); }
`;

export interface PageOptions {
  title: string;
  /** Subtitle line under the title (already-escaped HTML via raw(), or plain text). */
  meta?: string | RawHtml;
  body: RawHtml;
  /** Extra CSS appended to the base sheet. */
  css?: string;
}

export function htmlPage(opts: PageOptions): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(opts.title)}</title>
<style>${BASE_CSS}${opts.css ?? ''}</style>
</head>
<body>
<header><h1>${escapeHtml(opts.title)}</h1>${opts.meta !== undefined ? `<div class="meta">${render(opts.meta)}</div>` : ''}</header>
<main>
${opts.body.html}
</main>
</body>
</html>
`;
}
