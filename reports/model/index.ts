/** The report model: types, outcome rules, summaries and verdicts every renderer and runner shares. */
export * from './outcomes.ts';
export * from './case-result.ts';
export * from './run-report.ts';
export * from './requirement-rows.ts';
export * from './certify-report.ts';
export * from './verdict.ts';
export * from './root-causes.ts';
