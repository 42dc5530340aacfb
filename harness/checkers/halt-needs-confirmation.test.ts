import { describe, expect, it } from 'vitest';
import type { Scenario } from '../core/scenario.ts';
import { SyntheticHistory } from '../history/synthetic.ts';
import { runCheck } from './compose.ts';
import { haltNeedsConfirmation } from './halt-needs-confirmation.ts';
import { checker } from './registry.ts';

const ctx = (options: Record<string, unknown> = {}) => ({ scenario: { id: 'synthetic' } as Scenario, capabilities: ['probes'], options });
const check = (h: SyntheticHistory, options: Record<string, unknown> = {}) => runCheck(haltNeedsConfirmation, h.events, ctx(options));

/** One balance read of bot-1 at t; glitched when `glitch`. Returns the seq of the glitch event (or of the read). */
function read(h: SyntheticHistory, t: number, glitch: boolean, instance = 'bot-1'): number {
  const g = glitch ? h.at(t).add('fault', 'balance.glitched', { id: 'f1', n: 1, balanceUsdt: 3000 }, instance) : undefined;
  const r = h.at(t + 1).add('venue', 'http.request', { method: 'GET', path: '/fapi/v2/balance', status: 200 }, instance);
  return g ?? r;
}
const halt = (h: SyntheticHistory, t: number, reason = 'drawdown', instance = 'bot-1') => h.at(t).add('target', 'probe', { probe: 'halt', reason }, instance);

describe('halt-needs-confirmation', () => {
  it('is registered and cites the single-transient-metric finding', () => {
    expect(checker('halt-needs-confirmation')).toBe(haltNeedsConfirmation);
    expect(haltNeedsConfirmation.findings).toEqual(['001_0474a2fd1532b929.txt#M20']);
  });

  it('passes when one anomalous reading does not halt the bot', () => {
    const h = new SyntheticHistory();
    read(h, 1000, false);
    read(h, 2000, true);
    read(h, 3000, false);
    const r = check(h);
    expect(r.valid).toBe(true);
    expect(r.stats).toMatchObject({ readings: 3, anomalous: 1, halts: 0 });
  });

  it('fails when the bot halts right after a single anomalous reading, with the halt and the glitch as evidence', () => {
    const h = new SyntheticHistory();
    read(h, 1000, false);
    const g = read(h, 2000, true);
    const hs = halt(h, 2005);
    const r = check(h);
    expect(r.valid).toBe(false);
    expect(r.violations).toHaveLength(1);
    expect(r.violations[0]?.evidence).toEqual([hs, g]);
    expect(r.violations[0]?.message).toMatch(/halted \(drawdown\) right after 1 anomalous balance reading/);
  });

  it('does not judge a halt after enough anomalous readings, after a healthy reading, or with another reason', () => {
    const h = new SyntheticHistory();
    read(h, 1000, true);
    read(h, 2000, true);
    halt(h, 2005); // confirmed by 2
    read(h, 3000, false);
    halt(h, 3005); // after a healthy reading: a real drawdown as far as the check knows
    read(h, 4000, true);
    halt(h, 4005, 'consecutive-rejects'); // not a reason the check judges
    const r = check(h);
    expect(r.valid).toBe(true);
    expect(r.stats).toMatchObject({ halts: 2, haltsConfirmed: 1, haltsNotJudged: 1, haltsOnShortRun: 0 });
    // With confirmations 3 the first halt came too early.
    expect(check(h, { confirmations: 3 }).valid).toBe(false);
  });

  it('keeps runs per instance: another instance’s healthy reading does not reset them', () => {
    const h = new SyntheticHistory();
    const g = read(h, 1000, true, 'bot-1');
    read(h, 1500, false, 'bot-2');
    const hs = halt(h, 1600, 'drawdown', 'bot-1');
    const r = check(h);
    expect(r.valid).toBe(false);
    expect(r.violations[0]?.evidence).toEqual([hs, g]);
  });

  it('is unknown when no reading was anomalous or no balance was read', () => {
    const h = new SyntheticHistory();
    read(h, 1000, false);
    halt(h, 1005);
    expect(check(h).valid).toBe('unknown');
    const none = new SyntheticHistory();
    none.at(100).add('fault', 'balance.glitched', { id: 'f1', n: 1, balanceUsdt: 1 }, 'bot-1');
    const r = check(none);
    expect(r.valid).toBe('unknown');
    expect(r.notes[0]).toMatch(/never read/);
  });
});
