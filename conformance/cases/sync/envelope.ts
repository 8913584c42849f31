import { Envelope, LARAVEL_EVENT_NAMESPACE, SYNC_EVENTS, syncEventFromWire } from '../../../spec/schemas/sync.ts';
import { frameData } from '../../../spec/protocol/frames.ts';
import { parseBody } from '../../clients/sync-api.ts';
import type { Case, CaseContext } from '../../types.ts';
import { canonicalJson, expectAtLeast, expectEqual, expectPresent, expectThat } from '../../verify.ts';
import { allSixScenario, byName } from './scenario.ts';

export const envelopeCases: Case[] = [
  {
    requirement: 'sync/envelope/1',
    desc: 'Drives a session through all six events and validates event_id, seq and emitted_at (RFC 3339, ms) on every one',
    async run(ctx: CaseContext) {
      const { frames } = await allSixScenario(ctx);
      for (const f of frames) parseBody(Envelope, frameData(f), `${f.event} on ${f.channel}`);
    },
  },
  {
    requirement: 'sync/envelope/2',
    desc: 'Drives all six events; expects a distinct event_id per logical event and AgentSessionStarted with one event_id on project and issue channels',
    async run(ctx: CaseContext) {
      const { frames, channels } = await allSixScenario(ctx);
      const seen = new Map<string, string>();
      for (const f of frames) {
        const id = String(frameData<{ event_id?: unknown }>(f).event_id);
        // The same logical event is the same data but for its per-channel seq, keys in any order.
        const key = `${f.event} ${canonicalJson({ ...frameData<object>(f), seq: undefined })}`;
        const prev = seen.get(id);
        // The same event_id may appear on several channels only for the same logical event.
        if (prev !== undefined) expectEqual(key, prev, `event_id ${id} names two different events`);
        seen.set(id, key);
      }
      const started = byName(frames).get('AgentSessionStarted')!;
      const onProject = started.find((e) => e.frame.channel === channels.project);
      const onIssue = started.find((e) => e.frame.channel === channels.issue);
      expectPresent(onProject, `AgentSessionStarted on ${channels.project}`, 'AgentSessionStarted did not arrive on the project channel');
      expectPresent(onIssue, `AgentSessionStarted on ${channels.issue}`, 'AgentSessionStarted did not arrive on the issue channel');
      expectEqual(
        onIssue.data.event_id,
        onProject.data.event_id,
        'AgentSessionStarted event_id differs between project and issue channels',
      );
    },
  },
  {
    requirement: 'sync/envelope/3',
    desc: 'Reads a fresh session channel’s history after a run of events; expects seq 1, 2, 3, … without gaps, last_seq = the highest',
    async run(ctx: CaseContext) {
      const { channels, api } = await allSixScenario(ctx);
      // The subscriber left no gap to see live; history is the whole channel.
      const page = await api.allEvents(channels.issue);
      const seqs = page.events.map((e) => e.seq);
      expectAtLeast(seqs.length, 1, `history of ${channels.issue} is empty`);
      expectEqual(
        seqs,
        seqs.map((_, i) => i + 1),
        `history seqs of ${channels.issue} are not 1…n`,
      );
      const session = await api.allEvents(channels.session);
      const s2 = session.events.map((e) => e.seq);
      expectEqual(
        s2,
        s2.map((_, i) => i + 1),
        `history seqs of ${channels.session} are not 1…n`,
      );
      expectEqual(session.last_seq, s2.length, `last_seq of ${channels.session} is not its highest seq`);
    },
  },
  {
    requirement: 'sync/envelope/4',
    desc: 'Drives all six events; expects every wire name to be App\\Events\\<Name> for one of the six',
    async run(ctx: CaseContext) {
      const { frames } = await allSixScenario(ctx);
      for (const f of frames) {
        expectThat(
          f.event,
          (e) => syncEventFromWire(e) !== undefined,
          `${LARAVEL_EVENT_NAMESPACE}<one of the six sync events>`,
          `event "${f.event}" on ${f.channel} is not ${LARAVEL_EVENT_NAMESPACE}<one of the six>`,
        );
      }
      byName(frames);
    },
  },
  {
    requirement: 'sync/envelope/5',
    desc: 'Drives all six events and validates each payload against its schema (session_id, participant_id, conflict details, …)',
    async run(ctx: CaseContext) {
      const { frames } = await allSixScenario(ctx);
      for (const [name, list] of byName(frames)) {
        for (const e of list) parseBody(SYNC_EVENTS[name], e.data, `${name} on ${e.frame.channel}`);
      }
    },
  },
];
