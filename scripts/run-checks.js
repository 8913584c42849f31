#!/usr/bin/env node
// `npm run checks`: the type check and the format check at once (each mostly one core; CI has two), each
// one's output printed whole when it ends; exits non-zero when either fails, naming which.
import { spawn } from 'node:child_process';

const run = (script) =>
  new Promise((resolve) => {
    const child = spawn('npm', ['run', '--silent', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (out += c));
    child.on('close', (code) => {
      process.stdout.write(out);
      resolve({ script, code });
    });
  });

const results = await Promise.all(['typecheck', 'format:check'].map(run));
const failed = results.filter((r) => r.code !== 0).map((r) => `npm run ${r.script} (exit ${r.code})`);
if (failed.length) {
  process.stderr.write(`Error: ${failed.join(' and ')} failed; the output above says where\n`);
  process.exit(1);
}
