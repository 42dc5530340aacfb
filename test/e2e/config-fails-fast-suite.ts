import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { leftovers, ROOT, runScenario } from './cli-run.ts';

/**
 * How the flawed bot gives itself away: it trades on the bad input, it becomes ready on it (and
 * cannot trade: every order refused), or it hangs half-initialised.
 */
export type FlawedOutcome = 'order' | 'ready' | 'running';

export interface ConfigFailsFastCase {
  scenario: string;
  /** The one refbot flaw that makes the bot accept the bad input. */
  flaw: string;
  findings: string[];
  flawed: FlawedOutcome;
  /** What the hardened bot's stderr must say. */
  stderr: RegExp;
  seed: number;
}

/**
 * One config-fails-fast scenario through the real CLI on the local runtime: with only `flaw` on,
 * the run exits 1 and config-fails-fast is violated with evidence that is in the history; hardened
 * exits non-zero at start-up, the run exits 0 and the check passes on a real exit.
 */
export function configFailsFastSuite(c: ConfigFailsFastCase): void {
  const reportsDir = mkdtempSync(join(ROOT, 'reports', `.e2e-${c.scenario}-`));
  afterAll(() => rmSync(reportsDir, { recursive: true, force: true }));

  describe(`${c.scenario} on refbot (${c.findings.join(', ')})`, () => {
    it(`flaw ${c.flaw} alone: the bad input is accepted and config-fails-fast is violated`, async () => {
      const r = await runScenario({ scenario: c.scenario, profile: 'hardened', flaws: c.flaw, seed: c.seed, reportsDir });
      expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(1);
      const sc = r.summary.scenarios[0];
      expect(sc?.verdict).toBe('fail');
      const check = sc?.checks.find((x) => x.name === 'config-fails-fast');
      expect(check?.valid).toBe(false);
      for (const f of c.findings) expect(check?.findings).toContain(f);
      expect(sc?.checks.filter((x) => x.name !== 'config-fails-fast' && x.valid === false)).toEqual([]);
      const bySeq = new Map(r.events.map((e) => [e.seq, e]));
      const v = check?.violations[0];
      if (!v) throw new Error('no violation');
      const evidence = v.evidence.map((s) => bySeq.get(s));
      if (evidence.some((e) => e === undefined)) throw new Error(`evidence ${v.evidence.join(', ')} is not in the history`);
      const [first, ...rest] = evidence;
      expect(rest.at(-1)?.type).toBe('startup.config');
      if (c.flawed === 'order') {
        // It traded on the bad input: a real order on the venue after it became ready.
        expect(first?.type).toBe('order.new');
        expect(first?.instance).toBe('bot-1');
        expect(r.events.some((e) => e.type === 'startup.outcome' && e.data.outcome === 'ready')).toBe(true);
      } else if (c.flawed === 'ready') {
        // It came up on the bad input: the ready probe leads the evidence; nothing reached the book.
        expect(first?.type).toBe('probe');
        expect(first?.data.probe).toBe('ready');
        expect(r.events.some((e) => e.type === 'order.new')).toBe(false);
      } else {
        // Still alive, never ready, never exited, when the harness decided.
        expect(first?.type).toBe('startup.outcome');
        expect(first?.data.outcome).toBe('running');
        expect(r.events.some((e) => e.type === 'probe' && e.data.probe === 'ready')).toBe(false);
        expect(r.events.some((e) => e.type === 'target.exit' && (e.seq ?? 0) < (first?.seq ?? 0))).toBe(false);
      }
      expect(leftovers(r.events)).toEqual([]);
    });

    it('hardened: exits non-zero at start-up naming the bad input, no order, the check passes', async () => {
      const r = await runScenario({ scenario: c.scenario, profile: 'hardened', seed: c.seed, reportsDir });
      expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
      const check = r.summary.scenarios[0]?.checks.find((x) => x.name === 'config-fails-fast');
      expect(check?.valid).toBe(true);
      expect(check?.stats).toMatchObject({ instances: 1, exited: 1, ready: 0, running: 0, orders: 0 });
      const exit = r.events.find((e) => e.type === 'target.exit');
      expect(exit?.data.code).not.toBe(0);
      expect(exit?.data.code).not.toBeNull();
      const outcome = r.events.find((e) => e.type === 'startup.outcome');
      expect(outcome?.data.outcome).toBe('exited');
      expect(String(outcome?.data.stderrTail)).toMatch(c.stderr);
      expect(r.events.some((e) => e.type === 'order.new')).toBe(false);
      expect(r.events.some((e) => e.type === 'scenario.window.skipped')).toBe(true);
      expect(leftovers(r.events)).toEqual([]);
    });
  });
}
