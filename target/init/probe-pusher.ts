/**
 * The Pusher side of `hubproof init`: opens `/app/{key}` as pusher-js would and reads the first frame
 * (`pusher:connection_established` with socket_id and activity_timeout, or a refusal of the key), then,
 * when asked, tries `pusher:signin` signed with the secret.
 */
import WebSocket from 'ws';
import { CloseCode } from '../../spec/protocol/close-codes.ts';
import { connectionUrl, decodeFrame, frameData, PusherEvent, type Frame } from '../../spec/protocol/frames.ts';
import { signUserAuth, type AppCredentials } from '../../spec/protocol/signing.ts';

/** How long init waits for the handshake and the first frame, and for the answer to pusher:signin. */
export const FIRST_FRAME_TIMEOUT_MS = 5000;
export const SIGNIN_TIMEOUT_MS = 2000;

export type SigninProbe = { ok: true } | { ok: false; why: string };

export type PusherProbe =
  | { answered: true; socketId: string; activityTimeoutS: number; signin?: SigninProbe }
  | { answered: false; why: string; keyRefused: boolean };

interface ErrorData {
  code?: unknown;
  message?: unknown;
}

const describeError = (f: Frame): string => {
  const d = frameData<ErrorData | string>(f);
  if (typeof d === 'string') return `pusher:error "${d}"`;
  return `pusher:error ${String(d?.code ?? '?')}${d?.message ? ` "${String(d.message)}"` : ''}`;
};

export async function probePusher(ws: string, app: AppCredentials, opts: { signin: boolean }): Promise<PusherProbe> {
  const socket = new WebSocket(connectionUrl(ws, app.key, { client: 'hubproof-init' }), { handshakeTimeout: FIRST_FRAME_TIMEOUT_MS });
  const frames: Frame[] = [];
  let wake: (() => void) | undefined;
  let ended: { why: string; code?: number } | undefined;
  const end = (why: string, code?: number) => {
    ended ??= { why, code };
    wake?.();
  };
  socket.on('message', (data: Buffer) => {
    try {
      frames.push(decodeFrame(data.toString('utf8')));
    } catch {
      frames.push({ event: '(not a Pusher frame)' });
    }
    wake?.();
  });
  socket.on('unexpected-response', (_req, res) => end(`the WebSocket upgrade was answered with HTTP ${res.statusCode ?? '?'}`));
  socket.on('error', (err: NodeJS.ErrnoException) => end(err.code ?? err.message));
  socket.on('close', (code: number, reason: Buffer) =>
    end(`the hub closed the connection (${code}${reason.length ? ` ${reason.toString()}` : ''})`, code),
  );

  /** The next frame matching `want`, or undefined when the socket ended or `ms` passed first. */
  const next = async (want: (f: Frame) => boolean, ms: number): Promise<Frame | undefined> => {
    const deadline = Date.now() + ms;
    for (;;) {
      const i = frames.findIndex(want);
      if (i >= 0) return frames.splice(0, i + 1).pop();
      if (ended || Date.now() >= deadline) return undefined;
      await new Promise<void>((r) => {
        const timer = setTimeout(r, Math.max(1, deadline - Date.now()));
        wake = () => {
          clearTimeout(timer);
          r();
        };
      });
      wake = undefined;
    }
  };

  try {
    const first = await next(() => true, FIRST_FRAME_TIMEOUT_MS);
    if (!first) {
      const keyRefused = ended?.code === CloseCode.APP_NOT_FOUND;
      return { answered: false, keyRefused, why: ended?.why ?? `no frame within ${FIRST_FRAME_TIMEOUT_MS} ms` };
    }
    if (first.event === PusherEvent.ERROR) {
      const code = frameData<ErrorData>(first)?.code;
      return { answered: false, keyRefused: code === CloseCode.APP_NOT_FOUND, why: describeError(first) };
    }
    const data = frameData<{ socket_id?: unknown; activity_timeout?: unknown }>(first);
    if (
      first.event !== PusherEvent.CONNECTION_ESTABLISHED ||
      typeof data?.socket_id !== 'string' ||
      typeof data.activity_timeout !== 'number'
    )
      return {
        answered: false,
        keyRefused: false,
        why: `the first frame was ${first.event}, not pusher:connection_established with socket_id and activity_timeout`,
      };
    const found = { answered: true as const, socketId: data.socket_id, activityTimeoutS: data.activity_timeout };
    if (!opts.signin) return found;
    const userData = JSON.stringify({ id: 'hubproof-init', user_info: { name: 'hubproof init' } });
    socket.send(
      JSON.stringify({ event: PusherEvent.SIGNIN, data: { auth: signUserAuth(app, found.socketId, userData), user_data: userData } }),
    );
    const answer = await next((f) => f.event === PusherEvent.SIGNIN_SUCCESS || f.event === PusherEvent.ERROR, SIGNIN_TIMEOUT_MS);
    const signin: SigninProbe =
      answer?.event === PusherEvent.SIGNIN_SUCCESS
        ? { ok: true }
        : { ok: false, why: answer ? describeError(answer) : `no answer within ${SIGNIN_TIMEOUT_MS} ms` };
    return { ...found, signin };
  } finally {
    socket.terminate();
  }
}
