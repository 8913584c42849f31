/** GET {http}/api/hub: the timings, limits and capabilities a sync or agent-presence hub advertises. */
import { HubInfo } from '../spec/schemas/sync.ts';
import type { TargetFile } from '../spec/target.ts';

/** For targets with the sync or agent-presence profile; undefined otherwise or on any problem (after a warning). */
export async function fetchHubInfo(target: TargetFile, warn: (m: string) => void): Promise<HubInfo | undefined> {
  if (!target.profiles.includes('sync') && !target.profiles.includes('agent-presence')) return undefined;
  const url = `${target.nodes[0]!.http.replace(/\/+$/, '')}/api/hub`;
  const token = target.agents[0]?.token;
  try {
    const res = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {}, signal: AbortSignal.timeout(5000) });
    if (res.status !== 200) {
      warn(`GET ${url} answered ${res.status}; using the target file's timings and defaults`);
      return undefined;
    }
    const parsed = HubInfo.safeParse(await res.json());
    if (!parsed.success) {
      warn(
        `GET ${url} does not match the HubInfo schema (${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}); using defaults`,
      );
      return undefined;
    }
    return parsed.data;
  } catch (err) {
    warn(`GET ${url} failed (${(err as Error).message}); using the target file's timings and defaults`);
    return undefined;
  }
}
