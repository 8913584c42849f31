/** Writes the three files of a certification into one directory: certify.json, junit.xml, index.html. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LoadReport } from '../load/report-types.ts';
import type { CertifyResult } from './run-certify.ts';
import { certifyHtml } from '../reports/certify-html.ts';
import { certifyJunit } from '../reports/certify-junit.ts';
import { reportJson } from '../reports/report-contract.ts';

export interface CertifyFiles {
  json: string;
  junit: string;
  html: string;
}

/** A certificate its published schema refuses is not written, nor are its JUnit and HTML files (reports/report-contract.ts). */
/** `load` absent: a client's certificate (`hubproof certify --client`), which has no load part. */
export function writeCertify(result: Omit<CertifyResult, 'load'> & { load?: LoadReport }, dir: string): CertifyFiles {
  const json = reportJson('certify', result.report);
  mkdirSync(dir, { recursive: true });
  const files: CertifyFiles = { json: join(dir, 'certify.json'), junit: join(dir, 'junit.xml'), html: join(dir, 'index.html') };
  writeFileSync(files.json, json);
  writeFileSync(files.junit, certifyJunit(result.report, result.conformance));
  writeFileSync(files.html, certifyHtml(result.report, result.conformance, result.load));
  return files;
}
