import { describe, expect, it } from 'vitest';
import type { Scenario } from '../core/scenario.ts';
import { SyntheticHistory } from '../history/synthetic.ts';
import type { HistoryEvent } from '../history/types.ts';
import { runCheck } from './compose.ts';
import { configFailsFast } from './config-fails-fast.ts';
import { checker } from './registry.ts';

const scenario = { id: 'synthetic' } as Scenario;
const ctx = { scenario, capabilities: [], options: {} };
const check = (events: HistoryEvent[], c = ctx) => runCheck(configFailsFast, events, c);
const ENV = { REFBOT_MAX_NOTIONAL_USD: '1000usd' };

function badStart(h: SyntheticHistory, env: Record<string, string> = ENV): number {
  const cfg = h.at(100).add('harness', 'startup.config', { instances: ['bot-1'], env, decideMs: 8000 });
  h.at(110).add('target', 'target.start', { pid: 42 }, 'bot-1');
  return cfg;
}

function exited(h: SyntheticHistory, t: number, code: number | null, stderrTail: string): [number, number] {
  const x = h.at(t).add('target', 'target.exit', { pid: 42, code, signal: null }, 'bot-1');
  const o = h.at(t + 5).add('harness', 'startup.outcome', { outcome: 'exited', afterMs: t - 110, decideMs: 8000, stderrTail }, 'bot-1');
  return [x, o];
}

describe('config-fails-fast', () => {
  it('is registered under its name and cites the findings it decides', () => {
    expect(checker('config-fails-fast')).toBe(configFailsFast);
    expect(configFailsFast.findings).toEqual([
      '002_3e6ca2bf6dfde12d.txt#R5',
      '001_0474a2fd1532b929.txt#C2',
      '001_0474a2fd1532b929.txt#C3',
      '000_2ae31cbfe79758d1.txt#E-H9',
      '000_2ae31cbfe79758d1.txt#E-M4',
      '000_2ae31cbfe79758d1.txt#E-M7',
      '002_3e6ca2bf6dfde12d.txt#env-var-overrides-production-profile',
      '001_0474a2fd1532b929.txt#slack-webhook-url-not-validated-before-use',
      '002_3e6ca2bf6dfde12d.txt#some-paths-return-none-instead-of-raising-exceptions',
      '000_2ae31cbfe79758d1.txt#E-M2',
      '000_2ae31cbfe79758d1.txt#E-M3',
      '000_2ae31cbfe79758d1.txt#T-M7',
      '001_0474a2fd1532b929.txt#no-runtime-validation-preventing-0-0-0-0',
      '001_0474a2fd1532b929.txt#H2',
      '001_0474a2fd1532b929.txt#M11',
      '001_0474a2fd1532b929.txt#H1',
      '001_0474a2fd1532b929.txt#no-testnet-live-credential-cross-validation',
      '000_2ae31cbfe79758d1.txt#E-M9',
      '003_a7371304fd1017c8.txt#invalid-feature-source-silently-falls-back-to-close',
    ]);
  });

  // 002_3e6ca2bf6dfde12d.txt#some-paths-return-none-instead-of-raising-exceptions, 000_2ae31cbfe79758d1.txt#E-M2,
  // #E-M3: a bad config file. A message naming only the file (not the variable) is clear enough; one naming
  // neither is not.
  it('judges a bad startup file: refused naming the file passes, a message naming nothing fails, trading on it fails', () => {
    const withFile = (h: SyntheticHistory) =>
      h.at(100).add('harness', 'startup.config', {
        instances: ['bot-1'],
        env: { REFBOT_CONFIG_FILE: '{STATE_DIR}/refbot.json' },
        decideMs: 8000,
        files: { 'refbot.json': { mode: '0o666', bytes: 44 } },
      });
    const named = new SyntheticHistory();
    withFile(named);
    named.at(110).add('target', 'target.start', { pid: 42 }, 'bot-1');
    exited(named, 600, 2, "error: '/run/x/state/refbot.json' is world-writable (mode 0o666): refusing to load it");
    expect(check(named.events).valid).toBe(true);

    const vague = new SyntheticHistory();
    withFile(vague);
    vague.at(110).add('target', 'target.start', { pid: 42 }, 'bot-1');
    exited(vague, 600, 2, 'error: bad configuration');
    expect(check(vague.events).valid).toBe(false);

    const loaded = new SyntheticHistory();
    const cfg = withFile(loaded);
    loaded.at(110).add('target', 'target.start', { pid: 42 }, 'bot-1');
    loaded.at(800).add('harness', 'startup.outcome', { outcome: 'ready', afterMs: 690, decideMs: 8000 }, 'bot-1');
    const order = loaded.at(900).add('venue', 'order.new', { orderId: 1, side: 'BUY', qty: '0.002', symbol: 'BTCUSDT', type: 'MARKET' }, 'bot-1');
    const r = check(loaded.events);
    expect(r.valid).toBe(false);
    expect(r.violations[0]?.evidence[0]).toBe(order);
    expect(r.violations[0]?.evidence.at(-1)).toBe(cfg);
  });

  // 000_2ae31cbfe79758d1.txt#E-M4 (NaN), #E-M7 (beyond the cap), 002_3e6ca2bf6dfde12d.txt#env-var-overrides-production-profile
  // (a risk limit out of range), 001_0474a2fd1532b929.txt#slack-webhook-url-not-validated-before-use (a malformed
  // webhook URL): refused with a message naming it passes, accepted (ready, trading) fails.
  const cases: [string, string][] = [
    ['REFBOT_MAX_DAILY_LOSS_USD', 'nan'],
    ['REFBOT_ORDER_TIMEOUT_MS', '120000'],
    ['REFBOT_MAX_DRAWDOWN_PCT', '400'],
    ['REFBOT_ALERT_WEBHOOK_URL', 'hooks.slack.com/services/T0AL3RTS/B0DESK/ops-channel-token'],
  ];
  for (const [name, value] of cases) {
    const env = { [name]: value };
    it(`judges ${name}=${value}: refused naming it passes, silently accepted fails`, () => {
      const refused = new SyntheticHistory();
      badStart(refused, env);
      exited(refused, 600, 2, `refbot: invalid configuration: ${name}='${value}' is out of bounds`);
      expect(check(refused.events).valid).toBe(true);

      const accepted = new SyntheticHistory();
      const cfg = badStart(accepted, env);
      const ready = accepted.at(800).add('target', 'probe', { probe: 'ready' }, 'bot-1');
      accepted.at(810).add('harness', 'startup.outcome', { outcome: 'ready', afterMs: 700, decideMs: 8000 }, 'bot-1');
      const r = check(accepted.events);
      expect(r.valid).toBe(false);
      expect(r.violations[0]?.evidence).toEqual([ready, cfg]);
      expect(r.violations[0]?.message).toContain(`${name}=${JSON.stringify(value)}`);
    });
  }

  it('passes when the bot exits non-zero at once naming the bad variable', () => {
    const h = new SyntheticHistory();
    badStart(h);
    exited(h, 700, 2, "refbot: invalid configuration: REFBOT_MAX_NOTIONAL_USD='1000usd' is not a valid number");
    const r = check(h.events);
    expect(r.valid).toBe(true);
    expect(r.stats).toMatchObject({ instances: 1, exited: 1, ready: 0, orders: 0 });
  });

  it('accepts a message that names the bad value rather than the variable', () => {
    const h = new SyntheticHistory();
    badStart(h, { SYMBOLS: 'NOPEUSDT' });
    exited(h, 900, 1, 'startup failed: ValueError: symbol NOPEUSDT not in exchangeInfo');
    expect(check(h.events).valid).toBe(true);
  });

  // 001_0474a2fd1532b929.txt#H2: the bad input is the account's position mode, not an env value.
  it('judges an account set up in hedge mode by the scenario’s mentions', () => {
    const start = (h: SyntheticHistory) =>
      h.at(100).add('harness', 'startup.config', {
        instances: ['bot-1'],
        env: {},
        decideMs: 8000,
        mentions: ['hedge', 'dualSidePosition'],
        account: { dualSidePosition: true },
      });
    const ok = new SyntheticHistory();
    start(ok);
    ok.at(110).add('target', 'target.start', { pid: 42 }, 'bot-1');
    exited(ok, 800, 1, 'startup failed: PositionModeError: the account is in hedge mode (dualSidePosition=true); refbot trades one-way');
    expect(check(ok.events).valid).toBe(true);
    const vague = new SyntheticHistory();
    start(vague);
    vague.at(110).add('target', 'target.start', { pid: 42 }, 'bot-1');
    exited(vague, 800, 1, 'startup failed');
    const r = check(vague.events);
    expect(r.valid).toBe(false);
    expect(r.violations[0]?.message).toMatch(
      /started with invalid configuration account dualSidePosition=true and its stderr names none of "hedge", "dualSidePosition"/,
    );
  });

  it('fails when the bot falls back to a default and trades: the order is the evidence', () => {
    const h = new SyntheticHistory();
    const cfg = badStart(h);
    const ready = h.at(800).add('target', 'probe', { probe: 'ready' }, 'bot-1');
    h.at(810).add('harness', 'startup.outcome', { outcome: 'ready', afterMs: 700, decideMs: 8000 }, 'bot-1');
    const o = h
      .at(1500)
      .add(
        'venue',
        'order.new',
        { orderId: 1, clientOrderId: 'c1', symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', qty: '0.016', reduceOnly: false, positionBefore: '0' },
        'bot-1',
      );
    const r = check(h.events);
    expect(r.valid).toBe(false);
    expect(r.violations).toHaveLength(1);
    expect(r.violations[0]?.evidence).toEqual([o, ready, cfg]);
    expect(r.violations[0]?.message).toMatch(/placed BUY 0\.016 BTCUSDT .*REFBOT_MAX_NOTIONAL_USD="1000usd"/);
  });

  it('fails when the bot becomes ready on the bad input even before it trades', () => {
    const h = new SyntheticHistory();
    const cfg = badStart(h);
    const ready = h.at(800).add('target', 'probe', { probe: 'ready' }, 'bot-1');
    h.at(810).add('harness', 'startup.outcome', { outcome: 'ready', afterMs: 700, decideMs: 8000 }, 'bot-1');
    const r = check(h.events);
    expect(r.valid).toBe(false);
    expect(r.violations[0]?.evidence).toEqual([ready, cfg]);
  });

  it('fails when the bot neither exits nor becomes ready (half-initialised, unflagged)', () => {
    const h = new SyntheticHistory();
    const cfg = badStart(h, { SYMBOLS: 'NOPEUSDT' });
    const out = h.at(8110).add('harness', 'startup.outcome', { outcome: 'running', afterMs: 8000, decideMs: 8000, stderrTail: '' }, 'bot-1');
    const r = check(h.events);
    expect(r.valid).toBe(false);
    expect(r.violations[0]?.evidence).toEqual([out, cfg]);
    expect(r.violations[0]?.message).toMatch(/neither exited nor became ready within 8000 ms/);
  });

  it('fails an exit that reports success, is too slow, or says nothing about the bad input', () => {
    const ok0 = new SyntheticHistory();
    const cfg = badStart(ok0);
    const [x, o] = exited(ok0, 700, 0, 'REFBOT_MAX_NOTIONAL_USD is bad');
    const r0 = check(ok0.events);
    expect(r0.valid).toBe(false);
    expect(r0.violations[0]?.evidence).toEqual([x, o, cfg]);
    expect(r0.violations[0]?.message).toMatch(/code 0/);

    const slow = new SyntheticHistory();
    badStart(slow);
    exited(slow, 7000, 2, 'REFBOT_MAX_NOTIONAL_USD is bad');
    expect(check(slow.events).violations[0]?.message).toMatch(/took 6890 ms to exit \(at most 5000 ms\)/);
    expect(check(slow.events, { ...ctx, options: { withinMs: 8000 } }).valid).toBe(true);

    const mute = new SyntheticHistory();
    badStart(mute);
    exited(mute, 700, 1, '');
    expect(check(mute.events).violations[0]?.message).toMatch(/stderr names none of .*it is empty/);
  });

  it('is unknown when no bad input was handed, or the startup was never decided', () => {
    const none = new SyntheticHistory();
    none.at(10).add('target', 'target.start', { pid: 1 }, 'bot-1');
    none.at(500).add('target', 'probe', { probe: 'ready' }, 'bot-1');
    expect(check(none.events).valid).toBe('unknown');

    const undecided = new SyntheticHistory();
    badStart(undecided);
    const r = check(undecided.events);
    expect(r.valid).toBe('unknown');
    expect(r.notes[0]).toMatch(/no recorded startup outcome/);
  });

  it('ignores events of instances that were not handed the bad input and events before it', () => {
    const h = new SyntheticHistory();
    h.at(10).add('target', 'probe', { probe: 'ready' }, 'bot-1');
    badStart(h);
    h.at(300).add('target', 'probe', { probe: 'ready' }, 'bot-9');
    exited(h, 700, 2, 'REFBOT_MAX_NOTIONAL_USD is bad');
    expect(check(h.events).valid).toBe(true);
  });
});
