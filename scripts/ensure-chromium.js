#!/usr/bin/env node
// Installs Debian's Chromium for the report screenshot tests when it is missing and we may (root + apt-get).
// Never fails the test run: without Chromium those tests skip and say why.
import { existsSync } from 'node:fs';
import { ensureDebianPackage } from './apt-ensure.js';

ensureDebianPackage({
  tag: 'ensure-chromium',
  pkg: 'chromium',
  present: () => existsSync('/usr/bin/chromium'),
  skipEnv: 'HUBPROOF_NO_CHROMIUM_INSTALL',
  tests: 'browser tests',
  note: ' (about a minute)',
});
