/** Writes the three files of a certification into one directory: certify.json, junit.xml, index.html. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CertifyResult } from './run-certify.ts';
import { certifyHtml } from '../reports/certify-html.ts';
import { certifyJunit } from '../reports/certify-junit.ts';

export interface CertifyFiles {
  json: string;
  junit: string;
  html: string;
}

export function writeCertify(result: CertifyResult, dir: string): CertifyFiles {
  mkdirSync(dir, { recursive: true });
  const files: CertifyFiles = { json: join(dir, 'certify.json'), junit: join(dir, 'junit.xml'), html: join(dir, 'index.html') };
  writeFileSync(files.json, `${JSON.stringify(result.report, null, 2)}\n`);
  writeFileSync(files.junit, certifyJunit(result.report, result.conformance));
  writeFileSync(files.html, certifyHtml(result.report, result.conformance, result.load));
  return files;
}
