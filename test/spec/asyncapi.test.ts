/** The generated AsyncAPI document is valid AsyncAPI 3.0 and describes the channels hubproof certifies. */
import { readFileSync } from 'node:fs';
import { Parser, DiagnosticSeverity } from '@asyncapi/parser';
import { describe, expect, it } from 'vitest';

const text = readFileSync(new URL('../../spec/generated/asyncapi.json', import.meta.url), 'utf8');

describe('spec/generated/asyncapi.json', () => {
  it('validates with @asyncapi/parser without error diagnostics', async () => {
    const diagnostics = await new Parser().validate(text);
    const errors = diagnostics.filter((d) => d.severity === DiagnosticSeverity.Error);
    expect(errors.map((d) => `${d.path.join('.')}: ${d.message}`)).toEqual([]);
  });

  it('describes the Pusher socket, the three sync channel families and the dashboard stream', async () => {
    const { document } = await new Parser().parse(text);
    expect(document).toBeDefined();
    const addresses = document!
      .channels()
      .all()
      .map((c) => c.address());
    expect(addresses.sort()).toEqual([
      '/app/{key}',
      '/ws/broadcasts',
      'private-issue.{id}',
      'private-project.{id}',
      'private-session.{id}',
    ]);
    const session = document!
      .channels()
      .all()
      .find((c) => c.address() === 'private-session.{id}')!;
    expect(
      session
        .messages()
        .all()
        .map((m) => m.name())
        .sort(),
    ).toEqual([
      'App\\Events\\AgentConflictDetected',
      'App\\Events\\AgentConflictResolved',
      'App\\Events\\AgentParticipantJoined',
      'App\\Events\\AgentParticipantLeft',
      'App\\Events\\AgentTodoChanged',
    ]);
    const actions = document!
      .operations()
      .all()
      .map((o) => `${o.action()} ${o.channels().all()[0]?.address()}`);
    expect(actions).toContain('send /app/{key}');
    expect(actions).toContain('receive /app/{key}');
    expect(actions).toContain('receive /ws/broadcasts');
  });

  it('rejects a broken document, so the validation above can fail', async () => {
    const broken = JSON.parse(text) as { operations: Record<string, { action: string }> };
    broken.operations.sendPusherFrame!.action = 'shout';
    const diagnostics = await new Parser().validate(JSON.stringify(broken));
    expect(diagnostics.some((d) => d.severity === DiagnosticSeverity.Error)).toBe(true);
  });
});
