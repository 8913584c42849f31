/**
 * `hubproof init`'s probe of a hub from outside: every node's reachability, its Pusher endpoint and its
 * HTTP API's answer to the app credentials; then, on the first node, what the hub advertises
 * (`GET /api/hub`) and which agent endpoints answer, with the agent tokens given or without. Bad
 * credentials and unreachable nodes are coded errors naming the node, the URL and the flag to fix.
 */
import { HubproofError } from '../../spec/errors.ts';
import type { TargetFile } from '../../spec/target.ts';
import { hostPort, PROBE_TIMEOUT_MS, tcpProbe } from '../probe.ts';
import {
  hubInfo,
  probePresenceHttp,
  probePresenceStream,
  probeSync,
  signedChannels,
  type EndpointProbe,
  type HttpAnswer,
  type HubInfoProbe,
} from './probe-http.ts';
import { probePusher, type PusherProbe } from './probe-pusher.ts';
import type { InitNode } from './urls.ts';

export interface InitAgent {
  identifier: string;
  token: string;
  /** Absent: not given on the command line. */
  projects?: number[];
}

export interface NodeFindings {
  node: InitNode;
  pusher: PusherProbe;
  api: HttpAnswer;
}

export interface Findings {
  nodes: NodeFindings[];
  hub: HubInfoProbe;
  sync: EndpointProbe;
  presenceHttp: EndpointProbe;
  presenceStream: EndpointProbe;
  /** Each further agent's token, checked against whichever agent endpoint answered. */
  tokens: Array<{ agent: InitAgent; probe: EndpointProbe }>;
}

const fail = (
  code: 'HUBPROOF_ERR_TARGET_UNREACHABLE' | 'HUBPROOF_ERR_CREDENTIALS_REJECTED' | 'HUBPROOF_ERR_NO_PROFILE',
  message: string,
): never => {
  throw new HubproofError(code, message);
};

async function reachable(node: InitNode): Promise<void> {
  for (const url of new Set([node.ws, node.http])) {
    const { host, port } = hostPort(url);
    const err = await tcpProbe(host, port, PROBE_TIMEOUT_MS);
    if (err)
      fail('HUBPROOF_ERR_TARGET_UNREACHABLE', `node ${node.n} did not answer at ${url} (${err}); check the URL and that the hub runs`);
  }
}

/** The HTTP API's verdict on the credentials; a 401/403/404 on a node whose Pusher socket answered is a credentials error. */
function judgeApi(node: InitNode, pusher: PusherProbe, api: HttpAnswer): void {
  const what = `${api.request} answered ${api.status ?? api.error}${api.detail ? ` (${api.detail})` : ''}`;
  if (api.status === 401 || api.status === 403)
    fail('HUBPROOF_ERR_CREDENTIALS_REJECTED', `node ${node.n}'s HTTP API refused the app credentials: ${what}; check --secret (and --key)`);
  if (api.status === 404 && pusher.answered)
    fail(
      'HUBPROOF_ERR_CREDENTIALS_REJECTED',
      `node ${node.n}'s HTTP API has no app "${api.request.split('/apps/')[1]?.split('/')[0] ?? '?'}": ${what}; check --app-id${node.httpGiven ? ', and --http' : `, or give --http if the HTTP API is not at ${node.http}`}`,
    );
  if (pusher.answered && (api.status === undefined || api.status >= 500))
    fail('HUBPROOF_ERR_TARGET_UNREACHABLE', `node ${node.n}'s HTTP API did not answer: ${what}`);
}

export async function probeHub(nodes: readonly InitNode[], app: TargetFile['app'], agents: readonly InitAgent[]): Promise<Findings> {
  for (const node of nodes) await reachable(node);
  const found: NodeFindings[] = [];
  for (const node of nodes) {
    const pusher = await probePusher(node.ws, app, { signin: node.n === 1 });
    if (!pusher.answered && pusher.keyRefused)
      fail(
        'HUBPROOF_ERR_CREDENTIALS_REJECTED',
        `node ${node.n} refused app key "${app.key}" at ${node.ws}/app/${app.key} (${pusher.why}); check --key`,
      );
    const api = await signedChannels(node.http, app);
    judgeApi(node, pusher, api);
    found.push({ node, pusher, api });
  }
  const first = found[0]!;
  for (const f of found.slice(1)) {
    if (first.pusher.answered && !f.pusher.answered)
      fail(
        'HUBPROOF_ERR_NO_PROFILE',
        `node ${f.node.n} (${f.node.ws}) did not answer as a Pusher hub although node 1 did: ${f.pusher.why}`,
      );
  }

  const [lead, ...others] = agents;
  const token = lead?.token;
  const http = first.node.http;
  const hub = await hubInfo(http, token);
  const sync = await probeSync(http, token, lead?.projects?.[0] ?? 1);
  const presenceHttp = await probePresenceHttp(http, token);
  const presenceStream = await probePresenceStream(first.node.ws, token);
  for (const [what, p] of [
    ['sync', sync],
    ['agent-presence', presenceHttp],
    ['agent-presence stream', presenceStream],
  ] as const) {
    if (p.state === 'token-refused')
      fail(
        'HUBPROOF_ERR_CREDENTIALS_REJECTED',
        `the ${what} endpoint refused the token of agent "${lead!.identifier}": ${p.said}; check --agent-token`,
      );
  }
  const tokens: Findings['tokens'] = [];
  for (const agent of others) {
    const probe =
      sync.state === 'answered'
        ? await probeSync(http, agent.token, agent.projects?.[0] ?? 1)
        : presenceHttp.state === 'answered'
          ? await probePresenceHttp(http, agent.token)
          : undefined;
    if (!probe) continue;
    if (probe.state === 'token-refused')
      fail(
        'HUBPROOF_ERR_CREDENTIALS_REJECTED',
        `the hub refused the token of agent "${agent.identifier}": ${probe.said}; check --agent-token`,
      );
    tokens.push({ agent, probe });
  }

  const anything =
    first.pusher.answered || [sync, presenceHttp, presenceStream].some((p) => p.state === 'answered' || p.state === 'needs-token');
  if (!anything)
    fail(
      'HUBPROOF_ERR_NO_PROFILE',
      `${first.node.ws} answers TCP but not as a hub hubproof tests: no Pusher socket at /app/${app.key} (${first.pusher.answered ? '' : first.pusher.why}), no sync or agent-presence API (${sync.said}; ${presenceHttp.said}); check the URL`,
    );
  return { nodes: found, hub, sync, presenceHttp, presenceStream, tokens };
}
