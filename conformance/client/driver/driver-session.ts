/**
 * One driver process for one case: spawned at the case's start, spoken to in the client driver protocol
 * (spec/schemas/client-driver.ts), every command and observation timestamped on the case clock and put
 * in the wire log (`app>` a command, `app<` what the application saw). Lines that do not match the
 * schema are kept as protocol errors, never judged as observations.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { DRIVER_PROTOCOL_VERSION, DriverObservation, type DriverCommand } from '../../../spec/schemas/client-driver.ts';
import { Changes } from '../changes.ts';
import type { DriverSpec } from './driver-spec.ts';

/** How long a driver may take to say hello, and to answer one command. */
export const DRIVER_HELLO_MS = 10_000;
export const DRIVER_ACK_MS = 5_000;

export interface Observed<T extends DriverObservation = DriverObservation> {
  t: number;
  obs: T;
}

export type ObservationOf<K extends DriverObservation['type']> = Extract<DriverObservation, { type: K }>;

/** Thrown when the driver itself fails (no hello, exits, no ack): a harness problem, not a client verdict. */
export class DriverFailure extends Error {
  override readonly name = 'DriverFailure';
}

type Command = DriverCommand extends infer C ? (C extends unknown ? Omit<C, 'id'> : never) : never;

export interface DriverSessionOptions {
  now(): number;
  log(dir: 'app>' | 'app<' | 'note', conn: string, text: string): void;
  signal: AbortSignal;
}

export class DriverSession {
  readonly observations: Observed[] = [];
  readonly protocolErrors: string[] = [];
  readonly changes = new Changes();
  hello: ObservationOf<'hello'> | undefined;
  exited: { code: number | null; signal: string | null } | undefined;
  private nextId = 1;
  private stderr = '';

  private constructor(
    private readonly child: ChildProcess,
    private readonly opts: DriverSessionOptions,
  ) {}

  static async start(spec: DriverSpec, opts: DriverSessionOptions): Promise<DriverSession> {
    const child = spawn(spec.argv[0]!, spec.argv.slice(1), { shell: spec.shell, stdio: ['pipe', 'pipe', 'pipe'] });
    const session = new DriverSession(child, opts);
    session.wire();
    const hello = await session.until(() => session.hello ?? session.exited, DRIVER_HELLO_MS);
    if (!session.hello) {
      const wrote = session.protocolErrors[0]
        ? `; its first line was ${session.protocolErrors[0]} (a driver writes a hello line first: docs/client-driver-protocol.md)`
        : '';
      throw new DriverFailure(
        `the driver ${spec.label} ${hello ? `exited (${session.exitText()}) before saying hello` : `wrote no hello within ${DRIVER_HELLO_MS} ms`}${wrote}${session.stderrTail()}`,
      );
    }
    if (session.hello.protocol !== DRIVER_PROTOCOL_VERSION) {
      await session.close();
      throw new DriverFailure(
        `the driver ${spec.label} speaks driver protocol ${session.hello.protocol}; this hubproof speaks ${DRIVER_PROTOCOL_VERSION} (docs/client-driver-protocol.md)`,
      );
    }
    return session;
  }

  /** Sends a command and resolves with its ack (`error` set when the library refused it). */
  async send(command: Command): Promise<ObservationOf<'ack'>> {
    const id = this.nextId++;
    const line = JSON.stringify({ ...command, id });
    this.opts.log('app>', 'client' in command ? command.client : 'driver', line);
    if (this.exited) throw new DriverFailure(`the driver exited (${this.exitText()}) before ${command.cmd}${this.stderrTail()}`);
    this.child.stdin!.write(`${line}\n`);
    const ack = await this.until(() => this.find('ack', (a) => a.id === id) ?? (this.exited ? 'exited' : undefined), DRIVER_ACK_MS);
    if (ack === 'exited')
      throw new DriverFailure(`the driver exited (${this.exitText()}) while running ${command.cmd}${this.stderrTail()}`);
    if (!ack) throw new DriverFailure(`the driver did not acknowledge ${command.cmd} within ${DRIVER_ACK_MS} ms`);
    return ack.obs;
  }

  /** The first observation of `type` matching `pred` (from index `from`), with its time. */
  find<K extends DriverObservation['type']>(
    type: K,
    pred: (o: ObservationOf<K>) => boolean = () => true,
    from = 0,
  ): Observed<ObservationOf<K>> | undefined {
    for (let i = from; i < this.observations.length; i++) {
      const o = this.observations[i]!;
      if (o.obs.type === type && pred(o.obs as ObservationOf<K>)) return o as Observed<ObservationOf<K>>;
    }
    return undefined;
  }

  all<K extends DriverObservation['type']>(type: K, pred: (o: ObservationOf<K>) => boolean = () => true): Observed<ObservationOf<K>>[] {
    return this.observations.filter((o) => o.obs.type === type && pred(o.obs as ObservationOf<K>)) as Observed<ObservationOf<K>>[];
  }

  /** The first truthy value of `check` within `ms`, re-checked on every observation. */
  until<T>(check: () => T | undefined | false | null, ms: number): Promise<T | undefined> {
    return this.changes.until(check, ms, this.opts.signal);
  }

  /** `exit`, then a kill if the driver is still there after 2 s. */
  async close(): Promise<void> {
    if (!this.exited) {
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
        if (this.exited) resolve();
      });
    }
  }

  private wire(): void {
    const lines = createInterface({ input: this.child.stdout! });
    lines.on('line', (line) => this.onLine(line));
    this.child.stderr!.on('data', (chunk: Buffer) => (this.stderr = (this.stderr + chunk.toString()).slice(-4000)));
    this.child.stdin!.on('error', () => undefined);
    this.child.on('exit', (code, signal) => {
      this.exited = { code, signal };
      this.opts.log('note', 'driver', `driver exited (${this.exitText()})${this.stderrTail()}`);
      this.changes.notify();
    });
    this.child.on('error', (err) => {
      this.exited = { code: null, signal: null };
      this.stderr += `\n${err.message}`;
      this.changes.notify();
    });
  }

  private onLine(line: string): void {
    if (line.trim() === '') return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      this.protocolError(`not JSON: ${line.slice(0, 200)}`);
      return;
    }
    const result = DriverObservation.safeParse(parsed);
    if (!result.success) {
      this.protocolError(
        `${result.error.issues[0]?.path.join('.') || 'line'}: ${result.error.issues[0]?.message} in ${line.slice(0, 200)}`,
      );
      return;
    }
    const obs = result.data;
    if (obs.type === 'hello') this.hello = obs;
    this.observations.push({ t: this.opts.now(), obs });
    this.opts.log('app<', 'client' in obs && obs.client ? obs.client : 'driver', line.length > 2000 ? `${line.slice(0, 2000)}…` : line);
    this.changes.notify();
  }

  private protocolError(text: string): void {
    this.protocolErrors.push(text);
    this.opts.log('note', 'driver', `driver protocol error: ${text}`);
  }

  private exitText(): string {
    return this.exited?.signal ? `signal ${this.exited.signal}` : `code ${this.exited?.code ?? '?'}`;
  }

  private stderrTail(): string {
    // Stack frames and Node's version banner say less than the error line above them.
    const lines = this.stderr.split('\n').filter((l) => l.trim() !== '' && !/^\s+at |^Node\.js v\d/.test(l));
    const tail = lines.slice(-3).join(' | ');
    return tail ? `; stderr: ${tail.slice(-400)}` : '';
  }
}
