/**
 * The /dashboard page's connection in real Chromium: after a hub restart it says "reconnecting", comes
 * back on its own and catches up from GET /api/presence without a reload; past the hub's per-session
 * dashboard cap it says why and stops retrying until asked.
 */
import { describe, expect, it } from 'vitest';
import { dashboardSuite, dashboardUrl, noChromium, TOKEN, toolEvent, type Page, type PageGlobals } from './helpers.ts';

const CAP = 2;

const state = (page: Page) => page.locator('#connection').getAttribute('data-state');

/** Counts the WebSockets a page opens from now on. */
function countSockets(page: Page): { readonly n: number } {
  const counter = { n: 0 };
  page.on('websocket', () => counter.n++);
  return counter;
}

describe.skipIf(noChromium)('dashboard connection', () => {
  const suite = dashboardSuite({ limits: { maxDashboardsPerSession: CAP } });
  const open = (query: Record<string, string>): Promise<Page> => suite.open(dashboardUrl(suite.hub.hub, { token: TOKEN, ...query }));

  it('shows "reconnecting" when the hub restarts, then reconnects and catches up without a reload', async () => {
    await toolEvent(suite.hub.hub, 'before-restart', { tool: 'Bash', session: 'sess-r', tokens: 10 });
    const page = await open({ session_id: 'restart' });
    await expect.poll(() => state(page), { timeout: 5000 }).toBe('live');
    await expect.poll(() => page.locator('article.card[data-agent="before-restart"]').count(), { timeout: 5000 }).toBe(1);
    await page.evaluate(() => ((globalThis as unknown as PageGlobals).sameDocument = true));

    await suite.hub.stop();
    await expect.poll(() => state(page), { timeout: 5000 }).toBe('reconnecting');
    expect(await page.locator('#connection .conn-text').textContent()).toBe('Reconnecting');
    expect(await page.locator('#connection .conn-detail').textContent()).toMatch(/in \d+ s · attempt 1/);

    // Changes made while the page is away reach it only through the catch-up read.
    await suite.hub.start();
    await toolEvent(suite.hub.hub, 'during-outage', { tool: 'Deploy', session: 'sess-r', tokens: 7 });
    await toolEvent(suite.hub.hub, 'before-restart', { tool: 'Edit', session: 'sess-r', tokens: 5 });
    expect(await state(page)).toBe('reconnecting');

    await expect.poll(() => state(page), { timeout: 10_000 }).toBe('live');
    const late = page.locator('article.card[data-agent="during-outage"]');
    await expect.poll(() => late.count(), { timeout: 5000 }).toBe(1);
    expect(await late.locator('.f-tool').textContent()).toBe('Deploy');
    const kept = page.locator('article.card[data-agent="before-restart"]');
    expect(await kept.locator('.f-tool').textContent()).toBe('Edit');
    expect(await kept.locator('.f-tools').textContent()).toBe('2');
    expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).sameDocument)).toBe(true);
  });

  it('says why when the hub refuses a dashboard past the per-session cap, and does not retry until asked', async () => {
    const first = await open({ session_id: 'capped' });
    const second = await open({ session_id: 'capped' });
    for (const p of [first, second]) await expect.poll(() => state(p), { timeout: 5000 }).toBe('live');

    const third = await suite.open('about:blank');
    const sockets = countSockets(third);
    await third.goto(dashboardUrl(suite.hub.hub, { token: TOKEN, session_id: 'capped' }));
    await expect.poll(() => state(third), { timeout: 5000 }).toBe('refused');
    const notice = third.getByRole('alert').filter({ hasText: 'refused this dashboard' });
    expect(await notice.isVisible()).toBe(true);
    expect(await notice.textContent()).toContain(`limit (${CAP})`);
    // Well past the 3 s first retry: still one attempt.
    await third.waitForTimeout(4000);
    expect(sockets.n).toBe(1);
    expect(await state(third)).toBe('refused');

    await suite.close(first);
    await third.getByRole('button', { name: 'Try again' }).click();
    await expect.poll(() => state(third), { timeout: 5000 }).toBe('live');
    expect(await notice.isVisible()).toBe(false);
    expect(sockets.n).toBe(2);
  });
});
