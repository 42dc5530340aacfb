import type { HistoryEvent, OrderNewData } from '../history/types.ts';
import { numberOption, unknown } from './compose.ts';
import type { Checker, CheckResult, Violation } from './types.ts';

const R5 = '002_3e6ca2bf6dfde12d.txt#R5';
const C2 = '001_0474a2fd1532b929.txt#C2';
const C3 = '001_0474a2fd1532b929.txt#C3';
const EH9 = '000_2ae31cbfe79758d1.txt#E-H9';
const EM4 = '000_2ae31cbfe79758d1.txt#E-M4';
const EM7 = '000_2ae31cbfe79758d1.txt#E-M7';
const ENV_OVERRIDE = '002_3e6ca2bf6dfde12d.txt#env-var-overrides-production-profile';
const WEBHOOK = '001_0474a2fd1532b929.txt#slack-webhook-url-not-validated-before-use';
const FILE_MISSING = '002_3e6ca2bf6dfde12d.txt#some-paths-return-none-instead-of-raising-exceptions';
const EM2 = '000_2ae31cbfe79758d1.txt#E-M2';
const EM3 = '000_2ae31cbfe79758d1.txt#E-M3';
const TM7 = '000_2ae31cbfe79758d1.txt#T-M7';
const ANY_HOST = '001_0474a2fd1532b929.txt#no-runtime-validation-preventing-0-0-0-0';
const HEDGE_MODE = '001_0474a2fd1532b929.txt#H2';
const TESTNET_PROD_URL = '001_0474a2fd1532b929.txt#M11';
const PAPER_PROD_CONFIG = '001_0474a2fd1532b929.txt#H1';
const FOREIGN_KEYS = '001_0474a2fd1532b929.txt#no-testnet-live-credential-cross-validation';
const EVENT_FOLDER = '000_2ae31cbfe79758d1.txt#E-M9';
const FEATURE_SOURCE = '003_a7371304fd1017c8.txt#invalid-feature-source-silently-falls-back-to-close';

/** `harness startup.config`: the bad input every instance of the scenario was started with. */
interface StartupConfig {
  instances?: string[];
  env?: Record<string, string>;
  decideMs?: number;
  /** Files written into STATE_DIR before the start: name -> { mode, bytes }. */
  files?: Record<string, { mode?: string; bytes?: number }>;
  /** Words a clear refusal names besides the variables, values and files (scenario startup.mentions). */
  mentions?: string[];
  /** The venue account as the bot found it, when the scenario set it up (e.g. hedge mode). */
  account?: Record<string, unknown>;
}

/** `harness startup.outcome`: how one instance's startup ended (harness/runner/startup-outcome.ts). */
interface StartupOutcomeData {
  outcome?: 'ready' | 'exited' | 'running';
  afterMs?: number;
  decideMs?: number;
  stderrTail?: string;
}

interface InstanceTrail {
  start?: HistoryEvent;
  exit?: HistoryEvent;
  outcome?: HistoryEvent;
  ready?: HistoryEvent;
  order?: HistoryEvent;
}

/**
 * A bot handed an invalid configuration fails fast: it exits non-zero within `withinMs`, says on
 * stderr what is wrong, and places no order. It never falls back to a default and trades, and
 * never keeps running half-initialised.
 *
 * The scenario's `startup` hands every instance the bad input (recorded as `harness
 * startup.config`); the harness records how each startup ended (`harness startup.outcome`: ready,
 * exited with the stderr tail, or still running without being ready after decideMs) and the
 * runtime records `target target.start` / `target target.exit` with the exit code. Per instance:
 * 1. a `venue order.new` after the bad input is a violation: the bot traded on it. Evidence
 *    [order.new, ready probe or outcome, startup.config];
 * 2. otherwise becoming ready is a violation: it silently accepted the input (a typo or
 *    out-of-range value replaced by a default, 002_3e6ca2bf6dfde12d.txt#R5; a config-load error
 *    logged and ignored, 001_0474a2fd1532b929.txt#C2; a value beyond any sane bound accepted,
 *    000_2ae31cbfe79758d1.txt#E-H9; a NaN limit that passes a range test NaN never fails,
 *    000_2ae31cbfe79758d1.txt#E-M4; an out-of-range value silently clamped into its bounds,
 *    000_2ae31cbfe79758d1.txt#E-M7; an environment override of a risk limit applied without
 *    validation, 002_3e6ca2bf6dfde12d.txt#env-var-overrides-production-profile; a malformed alert
 *    webhook URL taken unvalidated, 001_0474a2fd1532b929.txt#slack-webhook-url-not-validated-before-use;
 *    a missing config file read as empty, 002_3e6ca2bf6dfde12d.txt#some-paths-return-none-instead-of-raising-exceptions;
 *    a config section given as a scalar dropped by the merge, 000_2ae31cbfe79758d1.txt#E-M2; a
 *    world-writable config file loaded after a warning, 000_2ae31cbfe79758d1.txt#E-M3; a plain-HTTP
 *    control API bound beyond loopback, 000_2ae31cbfe79758d1.txt#T-M7 and
 *    001_0474a2fd1532b929.txt#no-runtime-validation-preventing-0-0-0-0; an account in a position
 *    mode the strategy does not support run anyway, 001_0474a2fd1532b929.txt#H2: the scenario's
 *    `account` starts it in hedge mode and a one-way bot must refuse, not fall back; a testnet or
 *    paper run given production URLs, 001_0474a2fd1532b929.txt#M11 and #H1; an event folder that
 *    cannot be written, the sink silently returning, 000_2ae31cbfe79758d1.txt#E-M9; a typo in a
 *    feature source falling back to the close,
 *    003_a7371304fd1017c8.txt#invalid-feature-source-silently-falls-back-to-close).
 *    Evidence [ready probe or outcome, startup.config];
 * 3. still running after decideMs, neither ready nor exited, is a violation: it is alive but
 *    half-initialised and flagged nowhere (an unknown instrument makes start-up return early,
 *    001_0474a2fd1532b929.txt#C3; keys of another environment, never cross-validated, retried at
 *    start-up like a timeout, 001_0474a2fd1532b929.txt#no-testnet-live-credential-cross-validation).
 *    Evidence [outcome, startup.config];
 * 4. an exit is judged: exit code 0 (it reports success), later than `withinMs` after its start,
 *    or a stderr tail that names none of the bad variables or values (no clear message) are
 *    violations. Evidence [target.exit, startup.outcome, startup.config].
 *
 * Unknown when no bad input was handed (not exercised) or an instance's startup has no recorded
 * outcome (the run ended before the harness could decide).
 *
 * Options: withinMs (default 5000).
 */
export const configFailsFast: Checker = {
  name: 'config-fails-fast',
  description: 'A bot handed invalid configuration exits non-zero at once with a clear message and places no order',
  findings: [
    R5,
    C2,
    C3,
    EH9,
    EM4,
    EM7,
    ENV_OVERRIDE,
    WEBHOOK,
    FILE_MISSING,
    EM2,
    EM3,
    TM7,
    ANY_HOST,
    HEDGE_MODE,
    TESTNET_PROD_URL,
    PAPER_PROD_CONFIG,
    FOREIGN_KEYS,
    EVENT_FOLDER,
    FEATURE_SOURCE,
  ],
  requires: [],
  check(history, ctx): CheckResult {
    const withinMs = numberOption(ctx.options, 'withinMs', 5000);
    const stats = { instances: 0, exited: 0, ready: 0, running: 0, orders: 0, undecided: 0 };
    const config = history.find((e) => e.src === 'harness' && e.type === 'startup.config');
    if (!config) return unknown('no invalid configuration was handed to the target (no startup.config): the invariant was not exercised', stats);
    const cfg = config.data as StartupConfig;
    const env = cfg.env ?? {};
    // A clear message names a bad variable, its value, one of the startup files or one of the scenario's mentions.
    const names = [...Object.entries(env).flatMap(([k, v]) => [k, v].filter((s) => s.trim() !== '')), ...Object.keys(cfg.files ?? {}), ...(cfg.mentions ?? [])];
    const describeEnv = [
      ...Object.entries(env).map(([k, v]) => `${k}=${JSON.stringify(v)}`),
      ...Object.entries(cfg.account ?? {}).map(([k, v]) => `account ${k}=${JSON.stringify(v)}`),
    ].join(' ');

    const trails = new Map<string, InstanceTrail>();
    for (const i of cfg.instances ?? []) trails.set(i, {});
    for (const e of history) {
      if (e.seq <= config.seq || e.instance === undefined) continue;
      const tr = trails.get(e.instance);
      if (!tr) continue;
      if (e.src === 'target' && e.type === 'target.start') tr.start ??= e;
      else if (e.src === 'target' && e.type === 'target.exit') tr.exit ??= e;
      else if (e.src === 'harness' && e.type === 'startup.outcome') tr.outcome ??= e;
      else if (e.src === 'target' && e.type === 'probe' && e.data.probe === 'ready') tr.ready ??= e;
      else if (e.src === 'venue' && e.type === 'order.new') {
        stats.orders++;
        tr.order ??= e;
      }
    }
    stats.instances = trails.size;

    const violations: Violation[] = [];
    for (const [inst, tr] of trails) {
      const out = tr.outcome?.data as StartupOutcomeData | undefined;
      if (out?.outcome === 'ready') stats.ready++;
      else if (out?.outcome === 'running') stats.running++;
      else if (out?.outcome === 'exited') stats.exited++;
      const readyEv = tr.ready ?? (out?.outcome === 'ready' ? tr.outcome : undefined);
      if (tr.order) {
        // R5 / C2 / E-H9 / E-M4 / E-M7 / env-var-overrides-production-profile /
        // slack-webhook-url-not-validated-before-use: the bad value was replaced (default), accepted
        // (NaN, beyond a sane bound, an unchecked override, a malformed URL) or clamped, and the
        // bot traded on it.
        const o = tr.order.data as unknown as OrderNewData;
        violations.push({
          t: tr.order.t,
          instance: inst,
          message: `${inst} placed ${o.side} ${o.qty} ${o.symbol} (${o.type}) after being started with invalid configuration ${describeEnv}: it fell back or accepted it instead of failing fast`,
          evidence: [tr.order.seq, ...(readyEv ? [readyEv.seq] : []), config.seq],
        });
        continue;
      }
      if (readyEv) {
        // R5 / C2 / E-H9 / E-M4 / E-M7 / env-var-overrides-production-profile /
        // slack-webhook-url-not-validated-before-use: silently accepted; ready to trade on a
        // config it should have refused.
        violations.push({
          t: readyEv.t,
          instance: inst,
          message: `${inst} became ready ${Math.round(readyEv.t - config.t)} ms after being started with invalid configuration ${describeEnv} instead of exiting`,
          evidence: [readyEv.seq, config.seq],
        });
        continue;
      }
      if (!tr.outcome || !out) {
        stats.undecided++;
        continue;
      }
      if (out.outcome === 'running') {
        // C3: start-up returned early (e.g. instrument not found) and the process lives on, unflagged.
        violations.push({
          t: tr.outcome.t,
          instance: inst,
          message: `${inst} neither exited nor became ready within ${out.decideMs ?? cfg.decideMs} ms of being started with invalid configuration ${describeEnv}: it runs on half-initialised instead of failing`,
          evidence: [tr.outcome.seq, config.seq],
        });
        continue;
      }
      // Exited: with a failure code, in time, saying what is wrong.
      const x = tr.exit?.data as { code?: number | null; signal?: string | null } | undefined;
      const exitEv = tr.exit ?? tr.outcome;
      const tookMs = tr.exit && tr.start ? tr.exit.t - tr.start.t : (out.afterMs ?? 0);
      const tail = out.stderrTail ?? '';
      const problems: string[] = [];
      if (x && x.code === 0) problems.push('exited with code 0 (success)');
      if (tookMs > withinMs) problems.push(`took ${Math.round(tookMs)} ms to exit (at most ${withinMs} ms)`);
      if (names.length > 0 && !names.some((n) => tail.includes(n))) {
        problems.push(`its stderr names none of ${names.map((n) => JSON.stringify(n)).join(', ')}${tail === '' ? ' (it is empty)' : ''}`);
      }
      if (problems.length === 0) continue;
      violations.push({
        t: exitEv.t,
        instance: inst,
        message: `${inst} was started with invalid configuration ${describeEnv} and ${problems.join('; ')}`,
        evidence: [exitEv.seq, ...(tr.exit ? [tr.outcome.seq] : []), config.seq],
      });
    }

    if (violations.length > 0) return { valid: false, violations, notes: [], stats };
    if (stats.instances === 0 || stats.undecided > 0) {
      return unknown(`${stats.undecided} of ${stats.instances} instance(s) have no recorded startup outcome: nothing to judge`, stats);
    }
    return {
      valid: true,
      violations: [],
      notes: [`${stats.exited} instance(s) handed ${describeEnv} exited non-zero within ${withinMs} ms naming the bad input, placing no order`],
      stats,
    };
  },
};
