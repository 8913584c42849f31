/**
 * A raw Pusher subscriber that records which TCP read carried each frame: the tests of per-turn write
 * coalescing (reference hub, bare server) check that one turn's frames arrive in one read.
 */
import { RawWsClient } from '../../load/driver/raw-ws-client.ts';
import { connectionUrl } from '../../spec/protocol/index.ts';

export interface Arrival {
  text: string;
  /** Which TCP read carried the frame (the client counts its reads). */
  read: number;
}

/**
 * Connects to `wsUrl` with `appKey`, subscribes to `channels` and resolves once every subscription
 * succeeded; every later frame is pushed to `seen`. The caller terminates the client.
 */
export async function readCountingSubscriber(wsUrl: string, appKey: string, channels: string[], seen: Arrival[]): Promise<RawWsClient> {
  let reads = 0;
  let pending = channels.length;
  let client: RawWsClient | undefined;
  await new Promise<void>((resolve, reject) => {
    client = new RawWsClient(
      connectionUrl(wsUrl, appKey),
      {
        open: () => {},
        text: (buf, start, end, read) => {
          const text = buf.toString('utf8', start, end);
          if (text.includes('pusher:connection_established')) {
            for (const channel of channels) client!.sendText(JSON.stringify({ event: 'pusher:subscribe', data: { channel } }));
          } else if (text.includes('subscription_succeeded')) {
            if (--pending === 0) resolve();
          } else seen.push({ text, read });
        },
        close: () => {},
        error: reject,
      },
      5000,
      () => ++reads,
    );
  });
  return client!;
}
