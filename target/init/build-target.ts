/**
 * From what `hubproof init` found to a target file: the profiles that answered, the nodes, the
 * credentials that worked, the announced activity_timeout, signin when it succeeded, and one `_todo`
 * note per field that cannot be found out from outside the hub (why it matters, what to put there).
 * The file is parsed by the same schema every command reads it with before it is written.
 */
import { DEFAULT_TIMINGS } from '../../conformance/context.ts';
import { HubproofError } from '../../spec/errors.ts';
import type { Profile } from '../../spec/schemas/common.ts';
import { parseTarget, type TargetFile } from '../../spec/target.ts';
import type { Findings, InitAgent } from './probe-hub.ts';
import type { EndpointProbe, EndpointState } from './probe-http.ts';

export interface BuiltTarget {
  target: TargetFile;
  /** The summary init prints, one line per finding. */
  summary: string[];
}

const SIGNIN_DECLARED = 'declared in the file: capabilities.signin true';

function profilesOf(f: Findings): Profile[] {
  const profiles: Profile[] = [];
  if (f.nodes[0]!.pusher.answered) profiles.push('pusher');
  if (f.sync.state === 'answered') profiles.push('sync');
  if (f.presenceHttp.state === 'answered' && f.presenceStream.state === 'answered') profiles.push('agent-presence');
  return profiles;
}

function todos(f: Findings, agents: readonly InitAgent[], profiles: readonly Profile[]): Record<string, string> {
  const info = f.hub.info;
  const todo: Record<string, string> = {
    'restart.command':
      'How to restart the hub, e.g. "systemctl restart my-hub", "docker restart my-hub" (or "kill -HUP <pid>" for hubproof hub); the persistence cases are skipped without it. A restart command cannot be seen from outside the hub.',
    'process.pid':
      'The hub\'s process id, when it runs on the machine that runs hubproof ({"pid": 12345}): load then samples the hub\'s memory and CPU. A process id cannot be seen over the network.',
  };
  todo['webhooks.listen'] =
    info?.capabilities.webhooks === false
      ? 'GET /api/hub advertises webhooks: false, so the webhook cases are reported unimplemented. If you turn them on, give the URL the hub posts to, on a host:port where hubproof can listen.'
      : info?.capabilities.webhooks === true
        ? "GET /api/hub advertises webhooks: give the URL the hub posts them to, on a host:port where hubproof can listen (e.g. http://127.0.0.1:9100/hooks); the hub's webhook URL lives in its own config, which cannot be read from outside."
        : 'Whether the hub sends webhooks, and where, lives in its own config and cannot be seen from outside: if it does, give the URL it posts to, on a host:port where hubproof can listen; the webhook cases are unimplemented without it.';
  const behindTokens = [f.sync, f.presenceHttp, f.presenceStream].filter((p) => p.state === 'needs-token');
  if (agents.length === 0 && behindTokens.length > 0)
    todo.agents = `The hub answered without an agent token as an API behind tokens does (${behindTokens.map((p) => p.brief).join(', ')}): it has the sync or agent-presence API behind tokens. Rerun hubproof init with --agent-token IDENTIFIER:TOKEN[:PROJECTS] (one per agent; some cases need two or three agents) to add those profiles.`;
  if (profiles.includes('sync'))
    agents.forEach((a, i) => {
      if (a.projects === undefined)
        todo[`agents.${i}.projects`] =
          'The project ids this token is scoped to (e.g. [1, 2]); the sync cases start sessions in a project every listed agent shares. Give them as --agent-token IDENTIFIER:TOKEN:1,2; a token does not say them.';
    });
  if (!info)
    todo['timings.pong_timeout_ms'] =
      `This hub has no GET /api/hub, so hubproof assumes ${DEFAULT_TIMINGS.pongTimeoutMs} ms for how long it waits for a pong after its ping (the heartbeat cases wait on it); set it if the hub's differs. It shows only after a ping goes unanswered.`;
  if (f.nodes.length > 1) {
    todo.neighbour =
      'Another app on the same shared store ({"app": {"id": …, "key": …, "secret": …}}), for the case that checks two apps do not hear each other; skipped without it.';
    todo[`nodes.${f.nodes.length - 1}.kill`] =
      'Commands that crash one node and bring it back ({"kill": {"command": "docker kill hub-2"}, "restart": {"command": "docker start hub-2"}} on that node), for the dead-node case; skipped without them.';
  }
  return todo;
}

const STATE: Record<EndpointState, string> = {
  answered: 'answers',
  'needs-token': 'behind an agent token, not tested (give --agent-token)',
  'token-refused': 'refused the token',
  absent: 'not there',
  other: 'no usable answer',
};
/** The state that keeps a profile out of the file (both endpoints must answer). */
const worse = (a: EndpointState, b: EndpointState): EndpointState => (a === 'answered' ? b : a);

function summaryOf(f: Findings, profiles: readonly Profile[], agents: readonly InitAgent[], todo: Record<string, string>): string[] {
  const lines = [`hubproof init: ${f.nodes.length} node(s) probed`];
  for (const { node, pusher, api } of f.nodes) {
    const socket = pusher.answered
      ? `pusher:connection_established (activity_timeout ${pusher.activityTimeoutS} s)`
      : `no Pusher socket (${pusher.why})`;
    const http = api.status === 200 ? 'HTTP API accepted the credentials' : `HTTP API ${api.status ?? api.error}`;
    lines.push(`  node ${node.n}  ${node.ws}  reachable · ${socket} · ${http} (${node.http}${node.httpGiven ? ', from --http' : ''})`);
  }
  const timeouts = new Set(f.nodes.flatMap((n) => (n.pusher.answered ? [n.pusher.activityTimeoutS] : [])));
  if (timeouts.size > 1)
    lines.push(`  ! the nodes announce different activity_timeouts (${[...timeouts].join(', ')} s); the file takes node 1's`);
  const info = f.hub.info;
  lines.push(
    info
      ? `  hub info        GET /api/hub: ${info.name} ${info.version} (spec ${info.spec_version}), profiles ${info.profiles.join(', ')}${info.cluster ? `, cluster of ${info.cluster.nodes} live node(s)` : ''}`
      : `  hub info        none (${f.hub.answer.request} → ${f.hub.answer.status ?? f.hub.answer.error}): Pusher defaults assumed for what the hub does not announce`,
  );
  const unconfirmed = info?.profiles.filter((p) => !profiles.includes(p)) ?? [];
  const pusher = f.nodes[0]!.pusher;
  lines.push(`  pusher          ${pusher.answered ? 'answers' : `no (${pusher.why})`}`);
  const shown = (p: EndpointProbe): string => (p.state === 'other' ? p.said : p.brief);
  lines.push(`  sync            ${STATE[f.sync.state]}: ${shown(f.sync)}`);
  const presence = profiles.includes('agent-presence') ? 'answers' : STATE[worse(f.presenceHttp.state, f.presenceStream.state)];
  lines.push(`  agent-presence  ${presence}: ${shown(f.presenceHttp)}, ${shown(f.presenceStream)}`);
  for (const t of f.tokens)
    lines.push(`  agent token     ${t.agent.identifier}'s ${t.probe.state === 'answered' ? 'accepted' : t.probe.state}: ${shown(t.probe)}`);
  const signin = pusher.answered ? pusher.signin : undefined;
  lines.push(
    `  signin          ${signin?.ok ? `pusher:signin_success (${SIGNIN_DECLARED})` : `not confirmed (${signin?.why ?? 'no Pusher socket'}); not declared: the signin cases probe it themselves`}`,
  );
  lines.push(
    `  webhooks        ${info ? `GET /api/hub advertises webhooks: ${info.capabilities.webhooks}` : 'cannot be known from outside (no GET /api/hub)'}; where the hub posts them cannot be seen from outside`,
  );
  lines.push(`  profiles        ${profiles.join(', ')}${agents.length ? ` (${agents.length} agent token(s))` : ''}`);
  if (unconfirmed.length) lines.push(`  ! GET /api/hub advertises ${unconfirmed.join(', ')}, not confirmed here: not in the file`);
  lines.push(`  left for you (the file's _todo says why): ${Object.keys(todo).join(', ')}`);
  return lines;
}

export function buildTarget(f: Findings, o: { name?: string; app: TargetFile['app']; agents: readonly InitAgent[] }): BuiltTarget {
  const profiles = profilesOf(f);
  if (profiles.length === 0)
    throw new HubproofError(
      'HUBPROOF_ERR_NO_PROFILE',
      `${f.nodes[0]!.node.ws} has no Pusher socket and its agent API answers only with a token (${[f.sync, f.presenceHttp].map((p) => p.said).join('; ')}); rerun with --agent-token IDENTIFIER:TOKEN`,
    );
  const todo = todos(f, o.agents, profiles);
  const first = f.nodes[0]!;
  const pusher = first.pusher;
  const target = parseTarget(
    {
      name: o.name ?? f.hub.info?.name ?? new URL(first.node.ws).host,
      profiles,
      nodes: f.nodes.map(({ node }) => ({ ws: node.ws, http: node.http })),
      app: { id: o.app.id, key: o.app.key, secret: o.app.secret },
      agents: o.agents.map((a) => ({ identifier: a.identifier, token: a.token, projects: a.projects ?? [] })),
      ...(pusher.answered && pusher.signin?.ok ? { capabilities: { signin: true } } : {}),
      ...(pusher.answered ? { timings: { activity_timeout_s: pusher.activityTimeoutS } } : {}),
      _todo: todo,
    },
    'the target file hubproof init built',
  );
  return { target, summary: summaryOf(f, profiles, o.agents, todo) };
}
