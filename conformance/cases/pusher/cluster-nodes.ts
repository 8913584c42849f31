/** What the pusher/cluster cases share: naming nodes, spreading connections over them, reading answers. */
import type { Frame } from '../../../spec/protocol/frames.ts';
import type { TargetFile } from '../../../spec/target.ts';
import type { HttpResponse } from '../../clients/http.ts';
import type { PusherSocket } from '../../clients/pusher-socket.ts';
import { nextLabel } from '../../clients/wait.ts';
import { CheckFailure, type CaseContext } from '../../types.ts';
import { subscribed, waitForData } from './helpers.ts';

export type Node = TargetFile['nodes'][number];

/** A connection and the index of the node it is on. */
export interface Placed {
  sock: PusherSocket;
  node: number;
}

/** `node 2` for nodes[1]: how reports name a node. */
export const nodeName = (i: number) => `node ${i + 1}`;

/** The index of the last node (the second of a two-node cluster). */
export const lastNode = (ctx: CaseContext) => ctx.target.nodes.length - 1;

/** A user_info for `id`: presence members join with one, the form every hub accepts. */
export const infoOf = (id: string) => ({ name: `User ${id}` });

/** The context with `node` as its first node: helpers that publish or sign through `ctx.node` use it. */
export const through = (ctx: CaseContext, i: number): CaseContext => ({ ...ctx, node: ctx.target.nodes[i]! });

/** Opens a connection on node `i` subscribed to `channel`, labelled `n<i+1>:<who>` in the wire log. */
export async function subscribedOn(ctx: CaseContext, i: number, channel: string, who: string): Promise<Placed> {
  return { sock: await subscribed(ctx, channel, { node: ctx.target.nodes[i], label: nextLabel(ctx, `n${i + 1}:${who}`) }), node: i };
}

/** Waits for `data` at a connection, or fails naming the node that took the publish and the one that missed it. */
export async function expectReached(
  at: Placed,
  channel: string,
  event: string,
  data: string,
  via: number,
  timeoutMs = 2000,
): Promise<Frame> {
  try {
    return await waitForData(at.sock, channel, event, data, timeoutMs);
  } catch (err) {
    if (!(err instanceof CheckFailure)) throw err;
    throw new CheckFailure(
      `an event published through ${nodeName(via)} did not reach the subscriber on ${nodeName(at.node)}`,
      err.expected,
      err.actual,
    );
  }
}

/** The body as a JSON object, or undefined. */
export const jsonOf = (res: HttpResponse): Record<string, unknown> | undefined =>
  res.json !== null && typeof res.json === 'object' && !Array.isArray(res.json) ? (res.json as Record<string, unknown>) : undefined;

/** The `id`s of a `GET …/users` answer. */
export const userIdsOf = (res: HttpResponse): unknown[] =>
  ((jsonOf(res)?.users as Array<{ id?: unknown }> | undefined) ?? []).map((u) => u.id);
