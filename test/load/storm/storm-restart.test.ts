/** How the storm restarts a hub, and that it is skipped, with the reason, when it cannot. */
import { afterAll, describe, expect, it } from 'vitest';
import { startEmbeddedTarget, type EmbeddedTarget } from '../../../cli/embedded-target.ts';
import { runLoad } from '../../../load/run-load.ts';
import { findScenario } from '../../../load/scenarios/index.ts';
import { NO_RESTART, stormRestart } from '../../../load/storm/storm-restart.ts';
import type { TargetFile } from '../../../spec/target.ts';

let hub: EmbeddedTarget | undefined;
afterAll(() => hub?.dispose());

const target = (extra: Partial<TargetFile> = {}): TargetFile =>
  ({
    name: 't',
    app: { id: '1', key: 'k', secret: 's' },
    nodes: [{ http: 'http://127.0.0.1:1', ws: 'ws://127.0.0.1:1' }],
    profiles: ['pusher'],
    ...extra,
  }) as TargetFile;

describe('storm restarts', () => {
  it('uses the embedded hub outage with the scenario downtime, else restart.command, else every node restart', () => {
    const s = findScenario('storm');
    expect(stormRestart({ target: target(), outage: async () => undefined }, s)?.how).toMatch(/stopped \(SIGTERM\), down 2 s/);
    expect(stormRestart({ target: target({ restart: { command: 'systemctl restart hub' } }) }, s)?.how).toBe(
      "the target's restart.command (systemctl restart hub)",
    );
    const nodes = [
      { http: 'http://127.0.0.1:1', ws: 'ws://127.0.0.1:1', restart: { command: 'a' } },
      { http: 'http://127.0.0.1:2', ws: 'ws://127.0.0.1:2', restart: { command: 'b' } },
    ];
    expect(stormRestart({ target: target({ nodes } as Partial<TargetFile>) }, s)?.how).toBe(
      "every node's restart.command at once (2 nodes)",
    );
    expect(stormRestart({ target: target({ nodes: [nodes[0]!, { http: 'http://x', ws: 'ws://x' }] }) }, s)).toBeUndefined();
  });

  it('skips the storm with the reason against a target it cannot restart', async () => {
    hub = await startEmbeddedTarget({ timers: 'default', mode: 'in-process' });
    const r = await runLoad({ target: hub.target, scenarios: 'storm', progress: false });
    expect(r.scenarios).toEqual([]);
    expect(r.skipped).toEqual([{ name: 'storm', reason: NO_RESTART }]);
    expect(r.verdict).toBe('pass');
  });
});
