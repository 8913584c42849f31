/**
 * The /dashboard page in real Chromium against the reference hub: token prompt, cards updated in place,
 * statistics, the hub's idle/offline timers shown in text and shape, and a busy wall of agents.
 */
import { describe, expect, it } from 'vitest';
import {
  cardFacts,
  dashboardSuite,
  dashboardUrl,
  noChromium,
  SHORT_TIMINGS,
  TOKEN,
  toolEvent,
  type Page,
  type PageGlobals,
} from './helpers.ts';

const card = (page: Page, agent: string) => page.locator(`article.card[data-agent="${agent}"]`);
const text = async (page: Page, selector: string) => ((await page.locator(selector).textContent()) ?? '').trim();

describe.skipIf(noChromium)('dashboard page', () => {
  const suite = dashboardSuite();
  const open = (url: string, viewport?: { width: number; height: number }): Promise<Page> => suite.open(url, viewport);

  it('asks for a token when none is given, says so when the hub refuses one, and connects with a good one', async () => {
    const page = await open(dashboardUrl(suite.hub.hub, {}));
    const input = page.getByLabel('Agent token');
    await expect.poll(() => input.isVisible()).toBe(true);
    expect(await page.locator('#agents').isVisible()).toBe(false);

    await input.fill('not-a-real-token');
    await page.getByRole('button', { name: 'Connect' }).click();
    await expect.poll(() => text(page, '#token-error'), { timeout: 5000 }).toMatch(/did not accept|refused the token/);
    expect(await input.getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#connection').getAttribute('data-state')).toBe('unauthorized');

    await input.fill(TOKEN);
    await page.getByRole('button', { name: 'Connect' }).click();
    await expect.poll(() => page.locator('#connection').getAttribute('data-state'), { timeout: 5000 }).toBe('live');
    expect(await page.getByLabel('Agent token').isVisible()).toBe(false);
    expect(await text(page, '#connection .conn-text')).toBe('Live');
  });

  it('shows one card per agent and updates it in place, with statistics', async () => {
    const page = await open(dashboardUrl(suite.hub.hub, { token: TOKEN, session_id: 'cards' }));
    await expect.poll(() => page.locator('#connection').getAttribute('data-state'), { timeout: 5000 }).toBe('live');
    await toolEvent(suite.hub.hub, 'cards-a', { tool: 'Bash', session: 'sess-1', feature: 'feat-1', tokens: 1200 });
    await toolEvent(suite.hub.hub, 'cards-b', { tool: 'Read', session: 'sess-1', tokens: 30 });
    await toolEvent(suite.hub.hub, 'cards-c', { tool: 'Grep', session: 'sess-2', tokens: 5 });
    await expect.poll(() => page.locator('article.card[data-agent^="cards-"]').count(), { timeout: 5000 }).toBe(3);
    const a = card(page, 'cards-a');
    expect(await cardFacts(a)).toBe('Active|Bash|feat-1|sess-1|1|1,200');
    // Cards sit in their session's group.
    expect(await page.locator('section.session[data-session="sess-2"] article.card').count()).toBe(1);

    const before = await a.elementHandle();
    await before!.evaluate((el) => ((el as unknown as { marked?: boolean }).marked = true));
    await toolEvent(suite.hub.hub, 'cards-a', { tool: 'Edit', session: 'sess-1', tokens: 800 });
    // Status, tool and counters read at one instant: the update made it active again with both events counted.
    await expect.poll(() => cardFacts(a), { timeout: 5000 }).toBe('Active|Edit|feat-1|sess-1|2|2,000');
    // The same element, updated: no card was rebuilt.
    expect(await a.evaluate((el) => (el as unknown as { marked?: boolean }).marked)).toBe(true);
    expect(await page.locator('article.card[data-agent="cards-a"]').count()).toBe(1);

    await expect.poll(() => text(page, '#stat-dashboards'), { timeout: 8000 }).toBe('1');
    const stats = await page.evaluate(() => {
      const w = globalThis as unknown as PageGlobals;
      const n = (id: string) => Number((w.document.querySelector(`#${id}`) as { textContent: string }).textContent.replace(/,/g, ''));
      return {
        byStatus: n('stat-active') + n('stat-idle') + n('stat-offline'),
        cards: w.document.querySelectorAll('article.card').length,
        sessions: n('stat-sessions'),
      };
    });
    expect(stats.byStatus).toBe(stats.cards);
    expect(stats.sessions).toBeGreaterThanOrEqual(2);
    await expect.poll(async () => Number(await text(page, '#stat-rate')), { timeout: 3000 }).toBeGreaterThan(0);
  });

  it("announces each frame's applied updates as presence:rendered after writing them to the DOM (what the browser load scenario times)", async () => {
    const page = await open(dashboardUrl(suite.hub.hub, { token: TOKEN, session_id: 'contract' }));
    await expect.poll(() => page.locator('#connection').getAttribute('data-state'), { timeout: 5000 }).toBe('live');
    await page.evaluate(() => {
      const w = globalThis as unknown as PageGlobals & {
        seen: string[];
        addEventListener(
          t: string,
          f: (e: { detail: { updates: Array<{ agent_id: string; presence: { last_tool_name: string } }> } }) => void,
        ): void;
      };
      w.seen = [];
      w.addEventListener('presence:rendered', (e) => {
        for (const u of e.detail.updates) {
          const shown = (w.document.querySelector(`article.card[data-agent="${u.agent_id}"] .f-tool`) as { textContent: string } | null)
            ?.textContent;
          w.seen.push(`${u.agent_id}:${u.presence.last_tool_name}:${shown}`);
        }
      });
    });
    await toolEvent(suite.hub.hub, 'contract-a', { tool: 'Bash', session: 'sess-c' });
    await toolEvent(suite.hub.hub, 'contract-a', { tool: 'Edit', session: 'sess-c' });
    const seen = () => page.evaluate(() => (globalThis as unknown as { seen: string[] }).seen);
    await expect.poll(seen, { timeout: 5000 }).toContain('contract-a:Edit:Edit');
    // Every update is announced once, and only once its frame has written the agent's latest state.
    const all = await seen();
    expect(all.filter((x) => x.startsWith('contract-a:'))).toHaveLength(2);
    expect(all.every((x) => x.split(':')[2] !== 'undefined')).toBe(true);
  });

  it('takes an agent idle and then offline on the hub timers, in text and icon shape, announced, with a ticking last activity', async () => {
    const page = await open(dashboardUrl(suite.hub.hub, { token: TOKEN, session_id: 'timers' }));
    await expect.poll(() => page.locator('#connection').getAttribute('data-state'), { timeout: 5000 }).toBe('live');
    // Agents of the earlier tests go offline on the same short timers; once they have, no other status change
    // shares timer-agent's announcement (past three changes at once the announcer names only three).
    await expect
      .poll(() => page.locator('article.card:not([data-status="offline"])').count(), { timeout: SHORT_TIMINGS.offlineAfterMs + 5000 })
      .toBe(0);
    const sentAt = Date.now();
    await toolEvent(suite.hub.hub, 'timer-agent', { tool: 'Write', session: 'sess-t' });
    const c = card(page, 'timer-agent');
    await expect.poll(() => c.locator('.status-label').textContent(), { timeout: 5000 }).toBe('Active');
    await expect.poll(() => c.locator('.status-label').textContent(), { timeout: 5000 }).toBe('Idle');
    expect(Date.now() - sentAt).toBeGreaterThanOrEqual(SHORT_TIMINGS.idleAfterMs);
    expect(await c.getAttribute('data-status')).toBe('idle');
    await expect.poll(() => c.locator('.status-label').textContent(), { timeout: 5000 }).toBe('Offline');
    expect(Date.now() - sentAt).toBeGreaterThanOrEqual(SHORT_TIMINGS.offlineAfterMs);
    await expect.poll(() => text(page, '#announcer'), { timeout: 5000 }).toMatch(/timer-agent is now (idle|offline)/);

    // Without colour the three states still differ: each icon has its own shape.
    const shapes = await page.evaluate(() =>
      ['active', 'idle', 'offline'].map((s) => {
        const w = globalThis as unknown as PageGlobals;
        const cs = w.getComputedStyle(w.document.querySelector(`.stat .status-icon[data-status="${s}"]`));
        return `${cs.borderTopLeftRadius}|${cs.borderLeftWidth}|${cs.borderTopWidth}`;
      }),
    );
    expect(new Set(shapes).size).toBe(3);

    const first = await c.locator('.f-activity').textContent();
    await expect.poll(() => c.locator('.f-activity').textContent(), { timeout: 3000 }).not.toBe(first);
    expect(await c.locator('.f-activity').textContent()).toMatch(/^\d+ s ago$/);
  });

  it('lays out a busy wall of agents across sessions without overflow, and keeps cards below the fold current', async () => {
    const page = await open(dashboardUrl(suite.hub.hub, { token: TOKEN, session_id: 'wall' }), { width: 1920, height: 1080 });
    await expect.poll(() => page.locator('#connection').getAttribute('data-state'), { timeout: 5000 }).toBe('live');
    const tools = ['Bash', 'Read', 'Edit', 'Write', 'Grep'];
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        toolEvent(suite.hub.hub, `wall-${i}`, {
          tool: tools[i % 5]!,
          session: `wall-sess-${i % 5}`,
          feature: `feat-${i}`,
          tokens: 1000 * i,
        }),
      ),
    );
    await expect.poll(() => page.locator('article.card[data-agent^="wall-"]').count(), { timeout: 5000 }).toBe(40);
    const layout = await page.evaluate(() => {
      const w = globalThis as unknown as PageGlobals;
      const cards = Array.from(w.document.querySelectorAll('article.card'), (el) => el.getBoundingClientRect());
      return {
        scrollWidth: w.document.documentElement.scrollWidth,
        width: w.innerWidth,
        narrowest: Math.min(...cards.map((r) => r.width)),
      };
    });
    expect(layout.scrollWidth).toBeLessThanOrEqual(layout.width);
    expect(layout.narrowest).toBeGreaterThan(200);

    // A card below the fold is written too (a few off-screen cards a frame), without scrolling to it.
    const last = card(page, 'wall-39');
    expect(
      await last.evaluate((el) => (el as unknown as { getBoundingClientRect(): { top: number } }).getBoundingClientRect().top),
    ).toBeGreaterThan(1080);
    await toolEvent(suite.hub.hub, 'wall-39', { tool: 'OffscreenTool', session: 'wall-sess-4' });
    await expect.poll(() => last.locator('.f-tool').textContent(), { timeout: 3000 }).toBe('OffscreenTool');
  });
});
