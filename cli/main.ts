/**
 * `hubproof <command>`: one entry, subcommands. Exit codes: 0 ok, 1 a requirement or threshold failed,
 * 2 the harness could not run (one `Error:` line saying what to fix).
 */
import { HubproofError } from '../spec/errors.ts';
import { COMMANDS, usage } from './commands.ts';

export const EXIT = { OK: 0, FAILED: 1, HARNESS: 2 } as const;

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage());
    return name === undefined ? EXIT.HARNESS : EXIT.OK;
  }
  if (name === '--version' || name === '-v') {
    process.stdout.write(`${(await import('../package.json', { with: { type: 'json' } })).default.version}\n`);
    return EXIT.OK;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    process.stderr.write(`Error: unknown command "${name}"; run \`hubproof --help\` for the list\n`);
    return EXIT.HARNESS;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(command.help);
    return EXIT.OK;
  }
  try {
    return await command.run(rest);
  } catch (err) {
    return reportError(err);
  }
}

export function reportError(err: unknown): number {
  if (err instanceof HubproofError) {
    process.stderr.write(`Error: ${err.message} [${err.code}]\n`);
  } else if (err instanceof TypeError && /parseArgs|ERR_PARSE_ARGS/.test(String((err as { code?: string }).code ?? err.message))) {
    process.stderr.write(`Error: ${err.message}; see --help\n`);
  } else {
    const e = err as Error;
    process.stderr.write(`Error: internal error: ${e?.message ?? String(err)} (please report; rerun with HUBPROOF_DEBUG=1 for a stack)\n`);
    if (process.env.HUBPROOF_DEBUG) process.stderr.write(`${e?.stack ?? ''}\n`);
  }
  return EXIT.HARNESS;
}
