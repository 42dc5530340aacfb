import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, runScenario } from './cli-run.ts';
import { evidenceEvents, expectCheckPasses, expectOnlyCheckFails } from './verdicts.ts';

/**
 * fill-events-odd-bot-stays-up through the real CLI: orders fill in 3 slices, then the next 6
 * user-data events arrive twice. With fill-handler-reraises (001_0474a2fd1532b929.txt#M4) the
 * duplicated fill ends refbot's fill task; with partial-fill-log-divides-by-zero (#C8) the first
 * slice does. Either way the bot exits inside the window and its heartbeat stops. Hardened skips the
 * duplicate and keeps beating and trading.
 */
const SEED = 5;
const CHECK = 'loop-never-stalls';
const reportsDir = mkdtempSync(join(ROOT, 'reports', '.e2e-fill-events-'));
afterAll(() => rmSync(reportsDir, { recursive: true, force: true }));

const run = (flaws?: string) =>
  runScenario({ scenario: 'fill-events-odd-bot-stays-up', profile: 'hardened', seed: SEED, reportsDir, ...(flaws ? { flaws } : {}) });

describe('fill-events-odd-bot-stays-up on refbot', () => {
  it.each([
    ['fill-handler-reraises', '001_0474a2fd1532b929.txt#M4', 'user-events-tamper'],
    ['partial-fill-log-divides-by-zero', '001_0474a2fd1532b929.txt#C8', 'partial-fills'],
  ])('flaw %s alone takes the bot down (%s)', async (flaw, finding, trigger) => {
    const r = await run(flaw);
    const check = expectOnlyCheckFails(r, CHECK, finding);
    expect(check.violations).toHaveLength(1);
    const [exit, end, last, ...faults] = evidenceEvents(r, check);
    // The process exited with an error inside the window, after its last heartbeat; nothing beat after it.
    expect(exit?.type).toBe('target.exit');
    expect(exit?.data.code).toBe(1);
    expect(end?.type).toBe('scenario.window.end');
    expect(last?.data.probe).toBe('heartbeat');
    expect(exit?.t).toBeGreaterThan(last?.t as number);
    expect(r.events.some((e) => e.data.probe === 'heartbeat' && e.t > (exit?.t as number))).toBe(false);
    // The exit came once the flaw's trigger had taken effect.
    const start = r.events.find((e) => e.type === 'fault.start' && e.data.kind === trigger);
    expect(start && start.t <= (exit?.t as number)).toBe(true);
    expect(faults.every((f) => f.type === 'fault.start')).toBe(true);
  });

  it('hardened skips the duplicated fills and keeps beating and trading', async () => {
    const r = await run();
    const check = expectCheckPasses(r, CHECK);
    expect(check.stats.exits).toBe(0);
    expect(check.stats.heartbeatsDuringFaults).toBeGreaterThan(30);
    expect(check.stats.maxGapMs).toBeLessThanOrEqual(1000);
    // Not vacuous: fills came in slices, the duplicates reached the bot and it said it skipped them.
    const tamper = r.events.find((e) => e.type === 'fault.start' && e.data.kind === 'user-events-tamper');
    expect(r.events.filter((e) => e.type === 'order.fill').length).toBeGreaterThan(6);
    expect(r.events.some((e) => e.data.probe === 'fill-skipped')).toBe(true);
    expect(r.events.some((e) => e.type === 'order.new' && e.t > (tamper?.t as number) + 2000)).toBe(true);
  });
});
