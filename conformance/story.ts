/**
 * What a run's rows add up to, once they are all in: rows blocked by another case's requirement point at
 * that case and share its root cause, and rows one behaviour failed form one group. The runner calls
 * this once, after the last case.
 */
import type { CaseResult } from '../reports/model/case-result.ts';
import { groupRootCauses, linkBlockers } from '../reports/model/root-causes.ts';
import type { RootCauseGroup } from '../reports/model/run-report.ts';

export interface RunStory {
  results: CaseResult[];
  groups: RootCauseGroup[];
}

export function tellStory(rows: readonly CaseResult[]): RunStory {
  const results = linkBlockers(rows);
  return { results, groups: groupRootCauses(results) };
}
