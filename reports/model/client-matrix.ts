/**
 * Several client libraries side by side (`hubproof certify --client A --client B`, or one driver with
 * several --client-path): a row per requirement of the profile, a column per client, each cell the
 * outcome that client's certificate gave the requirement — Autobahn's table of cases by agents, for the
 * Pusher protocol. Built from the clients' CertifyReports; decides nothing they did not.
 */
import type { CertifyReport, CertifyVerdict } from './certify-report.ts';
import type { Outcome } from './outcomes.ts';
import type { Level } from '../../spec/requirements/index.ts';
import { subjectName, verdictLabel } from './verdict.ts';

export interface ClientColumn {
  /** `pusher-js 8.6.0` */
  name: string;
  driver: string;
  verdict: CertifyVerdict;
  /** `CERTIFIED`, `CONFORMANT WITH 1 KNOWN DEVIATION`, … */
  label: string;
  exitCode: 0 | 1 | 2;
  must: { passed: number; total: number };
  should: { passed: number; total: number; run: boolean };
  /** Requirement ids that failed (MUST), or missed under --strict (SHOULD). */
  missed: string[];
  /** Where its own certificate is, relative to the comparison page. */
  dir: string;
}

export interface ClientMatrixRow {
  id: string;
  level: Level;
  text: string;
  /** One per column; null: that client's run did not reach the requirement (a selector, another profile). */
  outcomes: Array<Outcome | null>;
}

export interface ClientMatrix {
  profile: string;
  columns: ClientColumn[];
  rows: ClientMatrixRow[];
  /** 1 when a client is not certified, else 2 when one has no verdict, else 0 (verdictOf's order). */
  exitCode: 0 | 1 | 2;
}

export function clientMatrix(certificates: ReadonlyArray<{ report: CertifyReport; dir: string }>): ClientMatrix {
  const profiles = new Set(certificates.map((c) => c.report.client?.profile));
  if (profiles.size !== 1 || profiles.has(undefined)) throw new Error(`clientMatrix: one client profile, got ${[...profiles].join(', ')}`);
  const columns = certificates.map(({ report: r, dir }): ClientColumn => {
    const missed = r.requirements.filter((q) => q.outcome === 'fail' || (r.options.strict && q.outcome === 'non-strict'));
    return {
      name: subjectName(r),
      driver: r.client!.driver,
      verdict: r.verdict,
      label: verdictLabel(r),
      exitCode: r.exitCode,
      must: { passed: r.summary.must.passed, total: r.summary.must.total },
      // As a hub's certificate counts them: SHOULDs are run under --strict (a MUST case may judge one on the way).
      should: { passed: r.summary.should.passed, total: r.summary.should.total, run: r.options.strict },
      missed: missed.map((q) => q.id),
      dir,
    };
  });
  const rows = new Map<string, ClientMatrixRow>();
  certificates.forEach(({ report }, i) => {
    for (const q of report.requirements) {
      const row = rows.get(q.id) ?? { id: q.id, level: q.level, text: q.text, outcomes: certificates.map(() => null) };
      row.outcomes[i] = q.outcome;
      rows.set(q.id, row);
    }
  });
  const codes = columns.map((c) => c.exitCode);
  const exitCode = codes.includes(1) ? 1 : codes.includes(2) ? 2 : 0;
  return { profile: [...profiles][0]!, columns, rows: [...rows.values()], exitCode };
}
