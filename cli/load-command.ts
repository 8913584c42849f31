/** `hubproof load`: parse flags, run `runLoad`, print the figures table, write JSON/HTML, exit 0/1/2. */
import { parseArgs } from 'node:util';
import { HubproofError } from '../spec/errors.ts';
import { exitCodeFor, runLoad } from '../load/run-load.ts';
import { formatSummary } from '../load/summary-table.ts';
import { writeLoadJson } from '../reports/load-json.ts';
import { writeLoadHtml } from '../reports/load-html.ts';
import { numberOption as num } from './number-option.ts';
import { parseShard } from '../load/driver/shard.ts';

export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      target: { type: 'string' },
      scenario: { type: 'string' },
      duration: { type: 'string' },
      rate: { type: 'string' },
      subscribers: { type: 'string' },
      set: { type: 'string', multiple: true },
      hub: { type: 'string' },
      json: { type: 'string' },
      html: { type: 'string' },
      quiet: { type: 'boolean', default: false },
      'max-driver-lag': { type: 'string' },
      'max-driver-cpu': { type: 'string' },
      'max-machine-cpu': { type: 'string' },
      shard: { type: 'string' },
      'shard-wait': { type: 'string' },
      'run-id': { type: 'string' },
    },
    allowPositionals: false,
  });
  const hub = values.hub;
  if (hub !== undefined && hub !== 'auto' && hub !== 'child' && hub !== 'in-process') {
    throw new HubproofError('HUBPROOF_ERR_USAGE', `--hub must be auto, child or in-process, got "${hub}"`);
  }
  if (hub !== undefined && values.target) throw new HubproofError('HUBPROOF_ERR_USAGE', '--hub applies to the embedded reference hub; drop it when you pass --target');
  const report = await runLoad({
    targetFile: values.target,
    hub,
    scenarios: values.scenario,
    overrides: { durationS: num('duration', values.duration), rate: num('rate', values.rate), subscribers: num('subscribers', values.subscribers), set: values.set },
    progress: values.quiet ? false : undefined,
    ...(values.shard ? { shard: parseShard(values.shard), shardWaitS: num('shard-wait', values['shard-wait']), runId: values['run-id'] } : {}),
    driverLimits: {
      ...(values['max-driver-lag'] ? { maxLoopLagMs: num('max-driver-lag', values['max-driver-lag']), maxSendLagMs: num('max-driver-lag', values['max-driver-lag']) } : {}),
      ...(values['max-driver-cpu'] ? { maxCpuShare: num('max-driver-cpu', values['max-driver-cpu']) } : {}),
      ...(values['max-machine-cpu'] ? { maxMachineShare: num('max-machine-cpu', values['max-machine-cpu']) } : {}),
    },
  });
  process.stdout.write(formatSummary(report));
  if (values.json) {
    writeLoadJson(values.json, report);
    process.stdout.write(`JSON report: ${values.json}\n`);
  }
  if (values.html) {
    const file = writeLoadHtml(values.html, report);
    process.stdout.write(`HTML report: ${file}\n`);
  }
  return exitCodeFor(report);
}
