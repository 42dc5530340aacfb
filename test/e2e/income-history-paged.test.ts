import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, runScenario } from './cli-run.ts';
import { evidenceEvents, expectCheckPasses, expectOnlyCheckFails } from './verdicts.ts';

/**
 * income-history-paged through the real CLI: the account starts with 1,500 realized-PnL entries
 * today, one and a half pages of GET /fapi/v1/income. With income-single-page refbot seeds its
 * daily-loss guard from page 1 only (003_a7371304fd1017c8.txt#get-open-orders-reads-a-single-page-and);
 * hardened reads page 2 before it trades.
 */
const FINDING = '003_a7371304fd1017c8.txt#get-open-orders-reads-a-single-page-and';
const reportsDir = mkdtempSync(join(ROOT, 'reports', '.e2e-income-paged-'));
afterAll(() => rmSync(reportsDir, { recursive: true, force: true }));

const run = (flaws?: string) => runScenario({ scenario: 'income-history-paged', profile: 'hardened', seed: 46, reportsDir, ...(flaws ? { flaws } : {}) });

describe(`income-history-paged on refbot (${FINDING})`, () => {
  it('income-single-page reads one full page and never the next', async () => {
    const r = await run('income-single-page');
    const check = expectOnlyCheckFails(r, 'pagination-followed', FINDING);
    const [page] = evidenceEvents(r, check);
    expect(page).toMatchObject({
      src: 'venue',
      type: 'http.request',
      instance: 'bot-1',
      data: { path: '/fapi/v1/income', status: 200, page: { rows: 1000, limit: 1000, page: 1 } },
    });
    expect(r.events.filter((e) => e.type === 'http.request' && e.data.path === '/fapi/v1/income')).toHaveLength(1);
  });

  it('hardened reads page 2 (the last 500 rows) before its first order', async () => {
    const r = await run();
    const check = expectCheckPasses(r, 'pagination-followed');
    expect(check.stats).toMatchObject({ fullPages: 1, followed: 1 });
    const pages = r.events.filter((e) => e.type === 'http.request' && e.data.path === '/fapi/v1/income').map((e) => e.data.page);
    expect(pages).toMatchObject([
      { rows: 1000, page: 1 },
      { rows: 500, page: 2 },
    ]);
    const second = r.events.find((e) => e.type === 'http.request' && (e.data.page as { page?: number } | undefined)?.page === 2);
    const firstOrder = r.events.find((e) => e.type === 'order.new');
    expect((second?.seq ?? 0) < (firstOrder?.seq ?? 0)).toBe(true);
  });
});
