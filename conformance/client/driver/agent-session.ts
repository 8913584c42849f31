/**
 * One agent driver process for one sync-client case, spoken to in the agent driver protocol
 * (spec/schemas/agent-driver.ts): the framing of DriverSession (hello first, one command at a time, each
 * acked), every line timestamped on the case clock and put in the wire log (`app>` a command, `app<` what
 * the agent told its application). Lines that do not match the schema are protocol errors, never judged.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { AGENT_DRIVER_PROTOCOL_VERSION, AgentObservation, type AgentCommand } from '../../../spec/schemas/agent-driver.ts';
import { Changes } from '../changes.ts';
import { DRIVER_ACK_MS, DRIVER_HELLO_MS, DriverFailure, type DriverSessionOptions } from './driver-session.ts';
import type { DriverSpec } from './driver-spec.ts';

export type AgentObservationOf<K extends AgentObservation['type']> = Extract<AgentObservation, { type: K }>;
type Command = AgentCommand extends infer C ? (C extends unknown ? Omit<C, 'id'> : never) : never;

export class AgentSession {
  readonly observations: Array<{ t: number; obs: AgentObservation }> = [];
  readonly changes = new Changes();
  hello: AgentObservationOf<'hello'> | undefined;
  exited: { code: number | null; signal: string | null } | undefined;
  private nextId = 1;
  private stderr = '';

  private constructor(
    private readonly child: ChildProcess,
    private readonly opts: DriverSessionOptions,
  ) {}

  static async start(spec: DriverSpec, opts: DriverSessionOptions): Promise<AgentSession> {
    const child = spawn(spec.argv[0]!, spec.argv.slice(1), { shell: spec.shell, stdio: ['pipe', 'pipe', 'pipe'] });
    const s = new AgentSession(child, opts);
    createInterface({ input: child.stdout! }).on('line', (line) => s.onLine(line));
    child.stderr!.on('data', (chunk: Buffer) => (s.stderr = (s.stderr + chunk.toString()).slice(-4000)));
    child.stdin!.on('error', () => undefined);
    child.on('exit', (code, signal) => {
      s.exited = { code, signal };
      opts.log('note', 'driver', `agent driver exited (${signal ?? code})${s.stderrTail()}`);
      s.changes.notify();
    });
    child.on('error', (err) => {
      s.exited = { code: null, signal: null };
      s.stderr += `\n${err.message}`;
      s.changes.notify();
    });
    await s.until(() => s.hello ?? s.exited, DRIVER_HELLO_MS);
    if (!s.hello) throw new DriverFailure(`the agent driver ${spec.label} did not say hello within ${DRIVER_HELLO_MS} ms${s.stderrTail()}`);
    if (s.hello.protocol !== AGENT_DRIVER_PROTOCOL_VERSION) {
      await s.close();
      throw new DriverFailure(
        `the agent driver ${spec.label} speaks agent protocol ${s.hello.protocol}; this hubproof speaks ${AGENT_DRIVER_PROTOCOL_VERSION}`,
      );
    }
    return s;
  }

  async send(command: Command): Promise<AgentObservationOf<'ack'>> {
    const id = this.nextId++;
    const line = JSON.stringify({ ...command, id });
    this.opts.log('app>', 'agent' in command ? command.agent : 'driver', line);
    if (this.exited) throw new DriverFailure(`the agent driver exited before ${command.cmd}${this.stderrTail()}`);
    this.child.stdin!.write(`${line}\n`);
    const ack = await this.until(() => this.find('ack', (a) => a.id === id) ?? (this.exited ? 'exited' : undefined), DRIVER_ACK_MS);
    if (ack === 'exited') throw new DriverFailure(`the agent driver exited while running ${command.cmd}${this.stderrTail()}`);
    if (!ack) throw new DriverFailure(`the agent driver did not acknowledge ${command.cmd} within ${DRIVER_ACK_MS} ms`);
    return ack.obs;
  }

  find<K extends AgentObservation['type']>(type: K, pred: (o: AgentObservationOf<K>) => boolean = () => true) {
    const o = this.observations.find((x) => x.obs.type === type && pred(x.obs as AgentObservationOf<K>));
    return o as { t: number; obs: AgentObservationOf<K> } | undefined;
  }

  all<K extends AgentObservation['type']>(type: K, pred: (o: AgentObservationOf<K>) => boolean = () => true) {
    return this.observations.filter((x) => x.obs.type === type && pred(x.obs as AgentObservationOf<K>)) as Array<{
      t: number;
      obs: AgentObservationOf<K>;
    }>;
  }

  until<T>(check: () => T | undefined | false | null, ms: number): Promise<T | undefined> {
    return this.changes.until(check, ms, this.opts.signal);
  }

  async close(): Promise<void> {
    if (this.exited) return;
    try {
      this.child.stdin!.write(`${JSON.stringify({ cmd: 'exit', id: this.nextId++ })}\n`);
      this.child.stdin!.end();
    } catch {
      // The pipe may already be gone.
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.child.kill('SIGKILL');
        resolve();
      }, 2000);
      this.child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private onLine(line: string): void {
    if (line.trim() === '') return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      return this.opts.log('note', 'driver', `agent driver protocol error: not JSON: ${line.slice(0, 200)}`);
    }
    const r = AgentObservation.safeParse(parsed);
    if (!r.success)
      return this.opts.log('note', 'driver', `agent driver protocol error: ${r.error.issues[0]?.message} in ${line.slice(0, 200)}`);
    if (r.data.type === 'hello') this.hello = r.data;
    this.observations.push({ t: this.opts.now(), obs: r.data });
    this.opts.log('app<', 'agent' in r.data && r.data.agent ? r.data.agent : 'driver', line.slice(0, 2000));
    this.changes.notify();
  }

  private stderrTail(): string {
    const lines = this.stderr.split('\n').filter((l) => l.trim() !== '' && !/^\s+at |^Node\.js v\d/.test(l));
    const tail = lines.slice(-3).join(' | ');
    return tail ? `; stderr: ${tail.slice(-400)}` : '';
  }
}
