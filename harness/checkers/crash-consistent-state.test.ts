import { describe, expect, it } from 'vitest';
import type { Scenario } from '../core/scenario.ts';
import { SyntheticHistory } from '../history/synthetic.ts';
import { runCheck } from './compose.ts';
import { crashConsistentState } from './crash-consistent-state.ts';

const ctx = (options: Record<string, unknown> = {}) => ({ scenario: {} as Scenario, capabilities: ['rest-orders'], options });
const run = (h: SyntheticHistory, options: Record<string, unknown> = {}) => runCheck(crashConsistentState, h.events, ctx(options));

let nextId = 1;
function order(h: SyntheticHistory, t: number, cid: string, side: 'BUY' | 'SELL', positionBefore: string, opts: { reduceOnly?: boolean; inst?: string } = {}) {
  return h
    .at(t)
    .add(
      'venue',
      'order.new',
      { orderId: nextId++, clientOrderId: cid, symbol: 'BTCUSDT', side, type: 'MARKET', qty: '0.016', reduceOnly: opts.reduceOnly ?? false, positionBefore },
      opts.inst ?? 'bot-1',
    );
}

function get(h: SyntheticHistory, t: number, path: string, status = 200, inst = 'bot-1') {
  return h.at(t).add('venue', 'http.request', { method: 'GET', path, status }, inst);
}

/** Starts, reconciles, buys (rb-bot-1-1), is killed at 2000 and restarted at 3500. */
function killedWithPosition() {
  const h = new SyntheticHistory();
  h.at(0).add('target', 'target.start', { pid: 10 }, 'bot-1');
  get(h, 100, '/fapi/v2/positionRisk');
  get(h, 110, '/fapi/v1/openOrders');
  const first = order(h, 1000, 'rb-bot-1-1', 'BUY', '0');
  const exit = h.at(2000).add('target', 'target.exit', { pid: 10, code: null, signal: 'SIGKILL' }, 'bot-1');
  h.at(3400).add('target', 'target.restart', { previousPid: 10 }, 'bot-1');
  const start = h.at(3500).add('target', 'target.start', { pid: 11 }, 'bot-1');
  return { h, first, exit, start };
}

describe('crash-consistent-state', () => {
  it('passes when the restarted bot reads positions and open orders first and uses fresh ids', () => {
    const { h } = killedWithPosition();
    get(h, 3600, '/fapi/v3/account');
    get(h, 3610, '/fapi/v2/positionRisk');
    get(h, 3620, '/fapi/v1/openOrders');
    h.at(4000).add('target', 'probe', { probe: 'position', symbol: 'BTCUSDT', position: '0.016' }, 'bot-1');
    order(h, 4000, 'rb-bot-1-17322580001', 'SELL', '0.016');
    order(h, 5000, 'rb-bot-1-17322580002', 'SELL', '0');
    const r = run(h);
    expect(r.valid).toBe(true);
    expect(r.stats).toMatchObject({
      restarts: 1,
      judged: 1,
      ordersBeforeRestart: 1,
      ordersAfterRestart: 2,
      reusedIds: 0,
      unreconciledOrders: 0,
      reconciled: 1,
    });
  });

  it('fails when a restarted bot re-sends a clientOrderId of the killed process (C-FSM-04)', () => {
    const { h, first, start } = killedWithPosition();
    get(h, 3600, '/fapi/v2/positionRisk');
    get(h, 3610, '/fapi/v1/openOrders');
    const reused = order(h, 4000, 'rb-bot-1-1', 'SELL', '0.016');
    order(h, 5000, 'rb-bot-1-2', 'SELL', '0');
    const r = run(h);
    expect(r.valid).toBe(false);
    expect(r.violations).toHaveLength(1);
    expect(r.violations[0]?.evidence).toEqual([reused, first, start]);
    expect(r.violations[0]?.message).toMatch(/re-sent clientOrderId rb-bot-1-1 .*seq 3/);
    expect(r.stats.reusedIds).toBe(1);
  });

  it('fails when a restarted bot trades before reading its positions (C-FSM-01), once per lifetime', () => {
    const { h, start, exit } = killedWithPosition();
    h.at(3900).add('target', 'probe', { probe: 'position', symbol: 'BTCUSDT', position: '0' }, 'bot-1');
    const blind = order(h, 4000, 'rb-bot-1-2', 'BUY', '0.016');
    order(h, 5000, 'rb-bot-1-3', 'SELL', '0.032');
    const r = run(h);
    expect(r.valid).toBe(false);
    expect(r.violations).toHaveLength(1);
    expect(r.violations[0]?.evidence).toEqual([blind, start, exit]);
    expect(r.violations[0]?.message).toMatch(
      /without having read its positions .* or open orders .*venue's position was 0\.016; it believed its position was 0/,
    );
    expect(r.stats.unreconciledOrders).toBe(2);
  });

  it('requires open orders only with openOrders (default true); failed reads do not count; reduce-only exits are allowed', () => {
    const { h } = killedWithPosition();
    get(h, 3600, '/fapi/v2/positionRisk');
    get(h, 3610, '/fapi/v1/openOrders', 503);
    order(h, 3800, 'rb-bot-1-50', 'SELL', '0.016', { reduceOnly: true });
    const bad = order(h, 4000, 'rb-bot-1-51', 'BUY', '0');
    const r = run(h);
    expect(r.valid).toBe(false);
    expect(r.violations[0]?.evidence[0]).toBe(bad);
    expect(r.violations[0]?.message).toMatch(/read its open orders \(openOrders\) from/);
    expect(run(h, { openOrders: false }).valid).toBe(true);
  });

  it('reads of the previous lifetime do not count for the restarted one; other instances are separate', () => {
    const { h } = killedWithPosition();
    get(h, 3600, '/fapi/v2/positionRisk', 200, 'bot-2');
    get(h, 3610, '/fapi/v1/openOrders', 200, 'bot-2');
    order(h, 3700, 'rb-bot-1-1', 'BUY', '0', { inst: 'bot-2' }); // bot-2 never restarted: its ids are its own
    order(h, 4000, 'rb-bot-1-2', 'BUY', '0.016');
    const r = run(h);
    expect(r.valid).toBe(false);
    expect(r.violations).toHaveLength(1);
    expect(r.violations[0]?.instance).toBe('bot-1');
    expect(r.stats.ordersAfterRestart).toBe(1);
  });

  it('is unknown without a restart, or when nothing traded after it', () => {
    const h = new SyntheticHistory();
    h.at(0).add('target', 'target.start', { pid: 10 }, 'bot-1');
    order(h, 1000, 'rb-bot-1-1', 'BUY', '0');
    expect(run(h).valid).toBe('unknown');
    expect(run(h).notes[0]).toMatch(/no instance was restarted/);
    const { h: h2 } = killedWithPosition();
    get(h2, 3600, '/fapi/v2/positionRisk');
    const r = run(h2);
    expect(r.valid).toBe('unknown');
    expect(r.notes[0]).toMatch(/nothing to judge/);
    expect(r.stats.restarts).toBe(1);
  });

  it('rejects a non-boolean openOrders option (unknown, saying so)', () => {
    const { h } = killedWithPosition();
    const r = run(h, { openOrders: 'yes' });
    expect(r.valid).toBe('unknown');
    expect(r.notes[0]).toMatch(/openOrders must be a boolean/);
  });

  describe('state DB integrity (004#C-INFRA-02)', () => {
    const checked = (h: SyntheticHistory, t: number, ok: boolean, exists = true) =>
      h.at(t).add(
        'db',
        'integrity.checked',
        {
          file: 'refbot-journal.sqlite',
          exists,
          ok,
          result: ok ? ['ok'] : exists ? ['*** in database main ***', 'Page 5: btreeInitPage() returns error code 11'] : [],
          ownerRunning: true,
          by: 'f9',
        },
        'bot-1',
      );

    it('cites C-INFRA-02', () => {
      expect(crashConsistentState.findings).toContain('004_8a8a9a4995486b8f.txt#C-INFRA-02');
    });

    it('passes a sound DB after the restarts and counts the check', () => {
      const { h } = killedWithPosition();
      get(h, 3600, '/fapi/v2/positionRisk');
      get(h, 3620, '/fapi/v1/openOrders');
      order(h, 4000, 'rb-bot-1-2', 'SELL', '0.016');
      checked(h, 6000, true);
      const r = run(h);
      expect(r.valid).toBe(true);
      expect(r.stats).toMatchObject({ integrityChecks: 1, integrityFailures: 0 });
    });

    it('fails a damaged DB with the check first and the lifetime it happened in, restart or not', () => {
      const { h, start } = killedWithPosition();
      get(h, 3600, '/fapi/v2/positionRisk');
      get(h, 3620, '/fapi/v1/openOrders');
      order(h, 4000, 'rb-bot-1-2', 'SELL', '0.016');
      const bad = checked(h, 6000, false);
      const r = run(h);
      expect(r.valid).toBe(false);
      expect(r.violations[0]?.evidence).toEqual([bad, start]);
      expect(r.violations[0]?.message).toMatch(/fails SQLite's integrity check: .*btreeInitPage.*C-INFRA-02/);
      // Without any restart the damage is still a violation (not an unknown).
      const alone = new SyntheticHistory();
      alone.at(0).add('target', 'target.start', { pid: 10 }, 'bot-1');
      checked(alone, 5000, false);
      expect(run(alone).valid).toBe(false);
      // A missing DB proves nothing either way.
      const missing = new SyntheticHistory();
      missing.at(0).add('target', 'target.start', { pid: 10 }, 'bot-1');
      checked(missing, 5000, false, false);
      expect(run(missing).valid).toBe('unknown');
    });
  });

  describe('state files whole after kills (000#E-M5)', () => {
    const inspected = (h: SyntheticHistory, t: number, control: { complete: boolean; problem?: string }) =>
      h.at(t).add(
        'fault',
        'files.inspected',
        {
          ownerRunning: true,
          by: 'f5',
          files: [
            { file: 'refbot-control.json', exists: true, ...control },
            { file: 'refbot-halt.json', exists: false, complete: false },
          ],
        },
        'bot-1',
      );

    it('cites E-M5, passes whole files and fails a torn one with the inspection and the lifetime', () => {
      expect(crashConsistentState.findings).toContain('000_2ae31cbfe79758d1.txt#E-M5');
      const ok = killedWithPosition().h;
      get(ok, 3600, '/fapi/v2/positionRisk');
      get(ok, 3620, '/fapi/v1/openOrders');
      order(ok, 4000, 'rb-bot-1-2', 'SELL', '0.016');
      inspected(ok, 6000, { complete: true });
      const good = run(ok);
      expect(good.valid).toBe(true);
      expect(good.stats).toMatchObject({ filesInspected: 1, tornFiles: 0 });
      const { h, start } = killedWithPosition();
      get(h, 3600, '/fapi/v2/positionRisk');
      get(h, 3620, '/fapi/v1/openOrders');
      order(h, 4000, 'rb-bot-1-2', 'SELL', '0.016');
      const torn = inspected(h, 6000, { complete: false, problem: 'not a whole JSON document: Unexpected end of JSON input' });
      const r = run(h);
      expect(r.valid).toBe(false);
      expect(r.violations[0]?.evidence).toEqual([torn, start]);
      expect(r.violations[0]?.message).toMatch(/refbot-control\.json is torn: not a whole JSON document.*E-M5/);
    });
  });
});
