/** The README's `hubproof <command> --help` blocks are the commands' own help, word for word. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../cli/commands.ts';

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const BLOCK = /<details><summary><code>hubproof (\w+) --help<\/code><\/summary>\n\n```text\n([\s\S]*?)\n```/g;

describe('README help blocks', () => {
  const blocks = [...README.matchAll(BLOCK)].map((m) => ({ name: m[1]!, text: m[2]! }));

  it('show the help of every command a user runs against a hub or a client', () => {
    expect(blocks.map((b) => b.name).sort()).toEqual(['bench', 'certify', 'client', 'conform', 'init', 'load', 'merge']);
  });

  for (const name of ['bench', 'certify', 'client', 'conform', 'init', 'load', 'merge']) {
    it(`hubproof ${name} --help is the command's help (regenerate the block from \`node bin/hubproof.js ${name} --help\`)`, () => {
      const command = COMMANDS.find((c) => c.name === name);
      expect(blocks.find((b) => b.name === name)?.text).toBe(command?.help.trimEnd());
    });
  }
});
