/**
 * The driver protocol from hubproof's side: a driver that never says hello, exits early or writes lines
 * outside the schema is reported as such (never judged as the client), and the shipped drivers speak
 * the protocol: hello with their library's version, an ack per command, an error in the ack when the
 * library refuses.
 */
import { describe, expect, it } from 'vitest';
import { DriverFailure, DriverSession } from '../../../conformance/client/driver/driver-session.ts';
import { driverSpec } from '../../../conformance/client/driver/driver-spec.ts';
import pusherPkg from 'pusher-js/package.json' with { type: 'json' };

const opts = () => ({ now: () => 0, log: () => undefined, signal: new AbortController().signal });
/** A driver written inline: `node -e <source>`. */
const inline = (source: string) => driverSpec(`"${process.execPath}" -e ${JSON.stringify(source)}`);

describe('driver sessions', () => {
  it('fail with what the driver printed when it exits before saying hello', async () => {
    const err = await DriverSession.start(inline("console.log('hi'); process.exit(3)"), opts()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DriverFailure);
    expect((err as Error).message).toMatch(/exited \(code 3\) before saying hello; its first line was not JSON: hi/);
  });

  it('refuse a driver that speaks another protocol revision', async () => {
    const err = await DriverSession.start(
      inline("console.log(JSON.stringify({type:'hello',protocol:2,driver:'x',library:'x',version:'1'})); setTimeout(()=>{}, 5000)"),
      opts(),
    ).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/speaks driver protocol 2; this hubproof speaks 1/);
  });

  it('keep lines outside the schema as protocol errors, not observations', async () => {
    const s = await DriverSession.start(
      inline(
        "console.log(JSON.stringify({type:'hello',protocol:1,driver:'x',library:'x',version:'1'})); console.log(JSON.stringify({type:'state',state:'connected'})); setTimeout(()=>{}, 500)",
      ),
      opts(),
    );
    await s.until(() => s.protocolErrors.length > 0, 2000);
    expect(s.protocolErrors[0]).toMatch(/^client: /);
    expect(s.observations.map((o) => o.obs.type)).toEqual(['hello']);
    await s.close();
  });

  it('runs the shipped pusher-js driver: hello with the installed version, an ack per command, the library’s refusal in the ack', async () => {
    const s = await DriverSession.start(driverSpec('pusher-js'), opts());
    expect(s.hello).toMatchObject({ driver: 'pusher-js', library: 'pusher-js', version: pusherPkg.version, protocol: 1 });
    const ack = await s.send({ cmd: 'trigger', client: 'nobody', channel: 'private-x', event: 'client-x', data: {} });
    expect(ack.error).toMatch(/no client nobody/);
    await s.close();
    expect(s.exited?.code).toBe(0);
  });

  it('refuses --client-path with a command driver, and a --client-path that does not exist', () => {
    expect(() => driverSpec('./my-driver', '/tmp')).toThrow(/--client-path works with the shipped drivers/);
    expect(() => driverSpec('pusher-js', '/nonexistent/hubproof')).toThrow(/does not exist/);
    expect(() => driverSpec('dashboard')).toThrow(/--driver dashboard is not built yet/);
  });
});
