import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, runScenario } from './cli-run.ts';
import { evidenceEvents, expectCheckPasses, expectOnlyCheckFails } from './verdicts.ts';

/**
 * watchdog-tracks-stalled-loop through the real CLI: refbot runs with NOTIFY_SOCKET and
 * WATCHDOG_USEC (2 s) and its SQLite journal is locked for 6 s (000_2ae31cbfe79758d1.txt#X-L4).
 * no-watchdog never pings; watchdog-pings-from-thread, run with sqlite-on-loop so that the loop
 * really stalls on the lock, pings through the stall; hardened pings from the loop.
 */
const SEED = 23;
const CHECK = 'watchdog-tracks-loop';
const FINDING = '000_2ae31cbfe79758d1.txt#X-L4';
const reportsDir = mkdtempSync(join(ROOT, 'reports', '.e2e-watchdog-'));
afterAll(() => rmSync(reportsDir, { recursive: true, force: true }));

const run = (flaws?: string) =>
  runScenario({ scenario: 'watchdog-tracks-stalled-loop', profile: 'hardened', seed: SEED, reportsDir, ...(flaws ? { flaws } : {}) });
type Run = Awaited<ReturnType<typeof run>>;
const pings = (r: Run) => r.events.filter((e) => e.type === 'notify' && (e.data.state as Record<string, string>).WATCHDOG === '1');

describe(`watchdog-tracks-stalled-loop on refbot (${FINDING})`, () => {
  it('no-watchdog: not one ping while the loop beats', async () => {
    const r = await run('no-watchdog');
    const check = expectOnlyCheckFails(r, CHECK, FINDING);
    expect(check.violations[0]?.message).toMatch(/sent no WATCHDOG=1 ping at all while its loop kept beating/);
    const [last, first] = evidenceEvents(r, check);
    expect(last?.data.probe).toBe('heartbeat');
    expect(first?.data.probe).toBe('heartbeat');
    expect(r.events.filter((e) => e.type === 'notify')).toEqual([]);
  });

  it('watchdog-pings-from-thread with sqlite-on-loop: pings go on while the loop is stuck on the lock', async () => {
    const r = await run('watchdog-pings-from-thread,sqlite-on-loop');
    const check = expectOnlyCheckFails(r, CHECK, FINDING);
    expect(check.violations[0]?.message).toMatch(/kept pinging WATCHDOG=1 while its loop stalled/);
    const [ping, lastBeat] = evidenceEvents(r, check);
    expect(ping?.type).toBe('notify');
    expect(lastBeat?.data.probe).toBe('heartbeat');
    // The stall is the lock's: the lying ping came while the journal was locked.
    const lock = r.events.find((e) => e.type === 'fault.start' && e.data.kind === 'sqlite-lock');
    const unlock = r.events.find((e) => e.type === 'fault.end' && e.data.kind === 'sqlite-lock');
    expect(ping?.t).toBeGreaterThan(lock?.t ?? Number.POSITIVE_INFINITY);
    expect(ping?.t).toBeLessThan(unlock?.t ?? 0);
  });

  it('hardened: pings from the loop all through the window, READY=1 and STOPPING=1 sent, socket removed', async () => {
    const r = await run();
    const check = expectCheckPasses(r, CHECK);
    // Not vacuous: the loop ran the whole window and was pinged every half period (1 s).
    expect(check.stats.judgedAliveMs).toBeGreaterThan(12_000);
    expect(pings(r).length).toBeGreaterThanOrEqual(12);
    expect(check.stats.longestAliveWithoutPingMs).toBeLessThan(2000);
    const states = r.events.filter((e) => e.type === 'notify').map((e) => e.data.state as Record<string, string>);
    expect(states.some((s) => s.READY === '1')).toBe(true);
    expect(states.some((s) => s.STOPPING === '1')).toBe(true);
    // The harness's notify socket and its folder are gone after the run.
    const sock = r.events.find((e) => e.type === 'watchdog.socket');
    expect(sock?.data.periodMs).toBe(2000);
    expect(String(sock?.data.path)).toMatch(/faultline-notify-.*\/notify\.sock$/);
    expect(existsSync(String(sock?.data.path))).toBe(false);
  });
});
