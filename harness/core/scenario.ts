import { ConfigError } from './errors.ts';

/** When a fault fires, in ms after every target instance reported ready (scenario time zero). */
export type FaultTime = number | { minMs: number; maxMs: number };

/**
 * Events a fault can fire on (matched on the fault's instance): the n-th such event after the
 * scenario clock starts, plus an optional delay. All are venue events except `probe.halt`, the
 * target's own statement that it halted (a `{"probe":"halt"}` line), for faults that must land
 * right after a halt (a SIGTERM before the halt's alert is out).
 */
export const TRIGGER_EVENTS = [
  'order.accepted',
  'order.rejected',
  'order.cancelled',
  'order.filled',
  'fill',
  'fill.partial',
  'listenKey.created',
  'connection.opened',
  'connection.closed',
  'probe.halt',
] as const;
export type TriggerEvent = (typeof TRIGGER_EVENTS)[number];

export interface TriggerSpec {
  event: TriggerEvent;
  /** Fire on the n-th matching event (default 1). */
  nth?: number;
  delayMs?: number;
}

export interface FaultSpec {
  kind: string;
  /** The link the fault acts on (rest, market-ws, user-ws), when it acts on a link. */
  link?: string;
  /** Which instance(s): an instance id such as "bot-1", or "all". Default "all". */
  instance?: string;
  /** When it fires, by time; exactly one of `at` and `on`. */
  at?: FaultTime;
  /** When it fires, by event (TRIGGER_EVENTS). */
  on?: TriggerSpec;
  /** Kind-specific parameters; plain data with units in their names (durationMs, offsetMs). */
  params: Record<string, unknown>;
}

export interface CheckSpec {
  name: string;
  options?: Record<string, unknown>;
}

export interface MarketSpec {
  symbol: string;
  startPrice: number;
  /** Milliseconds between top-of-book updates. */
  tickMs: number;
  /** Standard deviation of the log return per tick. */
  volPerTick: number;
  /**
   * Minutes of one-minute klines the venue has from before the run (default 0: its tape starts at
   * the first tick), a seeded walk with the same volatility that closes at startPrice. For bots that
   * page through history to warm up (GET /fapi/v1/klines with startTime).
   */
  historyMinutes?: number;
}

/**
 * A bad-input startup (config-fails-fast): every instance is started with `env` on top of the
 * harness contract and the --target-opt values, and the harness waits at most `decideMs` for it to
 * become ready or exit. An instance that exits (or neither exits nor becomes ready) is an outcome,
 * recorded as `harness startup.outcome`, not a harness failure; the trading window then runs only
 * if every instance became ready (a bot that silently fell back to defaults trades in it).
 */
export interface StartupSpec {
  /**
   * Environment overrides: target option variables (REFBOT_MAX_NOTIONAL_USD) or contract ones
   * (SYMBOLS, VENUE_REST_URL, even STATE_DIR). `{STATE_DIR}` in a value is replaced by the
   * instance's STATE_DIR, so a value can name one of `files` (or a file that is deliberately not
   * there).
   */
  env: Record<string, string>;
  /** Files written into each instance's STATE_DIR before it starts: name -> content and permission bits. */
  files?: Record<string, StartupFile>;
  /** How long to wait for each instance to be ready or exit; replaces the manifest's ready timeout. */
  decideMs: number;
  /**
   * Words a clear refusal names when the bad input is not (only) an env value, e.g. the account's
   * position mode: ["hedge", "dualSidePosition"]. A refusal message that names one of them, a bad
   * variable, its value or a startup file is clear.
   */
  mentions?: string[];
}

export interface StartupFile {
  content: string;
  /** Permission bits, applied after writing (no umask): 0o666 makes a world-writable file. Default 0o600. */
  mode?: number;
}

/** A startup file's name: one plain file name, written in STATE_DIR. */
export const STARTUP_FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

export interface Scenario {
  id: string;
  title: string;
  description: string;
  /** Audit findings this scenario exercises: `<audit file>#<finding id>`. */
  findings: string[];
  suites: string[];
  /** Target capabilities the scenario needs (manifest `capabilities`). */
  requires: string[];
  instances: number;
  market: MarketSpec;
  /** How long faults and trading run after the targets are ready. */
  durationMs: number;
  faults: FaultSpec[];
  checks: CheckSpec[];
  /** Hand the target a bad input at startup instead of a normal start (see StartupSpec). */
  startup?: StartupSpec;
  /** How each instance's venue account is set up before the bot starts (default: one-way mode). */
  account?: AccountSpec;
  /**
   * What the instances share to coordinate (default "redis"): the run's Redis, handed over as
   * REDIS_URL; or "folder": no Redis, one folder every instance sees at the same path, handed over
   * as SHARED_DIR (bind-mounted by container runtimes), for bots whose leader lock is a lock file.
   */
  coordination?: 'redis' | 'folder';
  /**
   * Run each instance under a watchdog, as systemd's `Type=notify` + `WatchdogSec=` would: the bot
   * gets NOTIFY_SOCKET (a Unix datagram socket of its own) and WATCHDOG_USEC (periodMs in
   * microseconds), and every datagram it sends is recorded as `target notify`. Needs python3 on the
   * harness's machine (Node cannot receive Unix datagrams).
   */
  watchdog?: { periodMs: number };
}

/** The venue account each instance finds at start. */
export interface AccountSpec {
  /** The account is in hedge mode (Binance dualSidePosition true), set by someone else before the bot starts. */
  dualSidePosition?: boolean;
  /** Realized PnL already booked today: `rows` REALIZED_PNL income entries adding up to `totalUsdt` (more than a page of income). */
  realizedPnlToday?: { rows: number; totalUsdt: number };
  /** Small balances of other assets (asset -> amount), listed beside USDT: dust a bot may try to sweep. */
  dust?: Record<string, number>;
}

/** Identity helper that gives scenario files type checking and editor completion. */
export function defineScenario(s: Scenario): Scenario {
  return s;
}

const ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const FINDING = /^\d{3}_[0-9a-f]{16}\.txt#[A-Za-z0-9._-]+$/;

/** Structural validation; fault kinds and check names are validated against their registries by the runner. */
export function validateScenario(s: unknown, source: string): Scenario {
  const fail = (msg: string): never => {
    throw new ConfigError(`scenario ${source}: ${msg}`);
  };
  if (typeof s !== 'object' || s === null) return fail('does not export a scenario object (export default defineScenario({...}))');
  const sc = s as Partial<Scenario>;
  if (typeof sc.id !== 'string' || !ID.test(sc.id)) fail(`id must be kebab-case, got ${JSON.stringify(sc.id)}`);
  if (typeof sc.title !== 'string' || sc.title === '') fail('title is required');
  if (!Array.isArray(sc.findings)) fail('findings must be a list of audit finding ids');
  for (const f of sc.findings ?? []) if (!FINDING.test(f)) fail(`finding ${JSON.stringify(f)} is not "<audit file>#<id>"`);
  if (!Array.isArray(sc.suites)) fail('suites must be a list');
  if (!Array.isArray(sc.requires)) fail('requires must be a list of capabilities');
  if (!Number.isInteger(sc.instances) || (sc.instances ?? 0) < 1) fail('instances must be a whole number >= 1');
  if (!Number.isFinite(sc.durationMs) || (sc.durationMs ?? 0) <= 0) fail('durationMs must be > 0');
  const m = sc.market;
  if (!m || typeof m.symbol !== 'string' || !(m.startPrice > 0) || !(m.tickMs >= 10) || !(m.volPerTick >= 0))
    fail('market needs symbol, startPrice > 0, tickMs >= 10, volPerTick >= 0');
  const hm = m?.historyMinutes;
  if (hm !== undefined && !(Number.isInteger(hm) && hm >= 0 && hm <= 7 * 1440))
    fail('market.historyMinutes must be a whole number of minutes from 0 to 10080 (one week)');
  if (!Array.isArray(sc.faults)) fail('faults must be a list');
  for (const [i, f] of (sc.faults ?? []).entries()) {
    if (typeof f.kind !== 'string') fail(`faults[${i}].kind is required`);
    if ((f.at === undefined) === (f.on === undefined)) fail(`faults[${i}] needs exactly one of "at" (time) and "on" (venue event)`);
    const at = f.at;
    const okAt = at === undefined || (typeof at === 'number' && at >= 0) || (typeof at === 'object' && at !== null && at.minMs >= 0 && at.maxMs >= at.minMs);
    if (!okAt) fail(`faults[${i}].at must be ms >= 0 or {minMs, maxMs} with minMs <= maxMs`);
    if (f.on !== undefined) {
      if (!(TRIGGER_EVENTS as readonly string[]).includes(f.on.event)) fail(`faults[${i}].on.event must be one of ${TRIGGER_EVENTS.join(', ')}`);
      if (f.on.nth !== undefined && !(Number.isInteger(f.on.nth) && f.on.nth >= 1)) fail(`faults[${i}].on.nth must be a whole number >= 1`);
      if (f.on.delayMs !== undefined && !(f.on.delayMs >= 0)) fail(`faults[${i}].on.delayMs must be >= 0`);
    }
    if (typeof f.params !== 'object' || f.params === null) fail(`faults[${i}].params must be an object`);
  }
  if (!Array.isArray(sc.checks) || sc.checks.length === 0) fail('checks must name at least one check');
  if (sc.startup !== undefined) {
    const st = sc.startup;
    if (typeof st !== 'object' || st === null) fail('startup must be an object { env, decideMs }');
    if (typeof st.env !== 'object' || st.env === null || Object.values(st.env).some((v) => typeof v !== 'string'))
      fail('startup.env must map variable names to strings');
    if (!Number.isFinite(st.decideMs) || !(st.decideMs > 0)) fail('startup.decideMs must be > 0');
    if (st.mentions !== undefined && (!Array.isArray(st.mentions) || st.mentions.some((m) => typeof m !== 'string' || m.trim() === '')))
      fail('startup.mentions must be a list of non-empty words');
    if (st.files !== undefined) {
      if (typeof st.files !== 'object' || st.files === null || Array.isArray(st.files)) fail('startup.files must map file names to { content, mode }');
      for (const [name, f] of Object.entries(st.files ?? {})) {
        if (!STARTUP_FILE_NAME.test(name)) fail(`startup.files: ${JSON.stringify(name)} must be a plain file name (A-Za-z0-9._-, no folders)`);
        if (typeof f !== 'object' || f === null || typeof f.content !== 'string') fail(`startup.files.${name}.content must be a string`);
        if (f.mode !== undefined && !(Number.isInteger(f.mode) && f.mode >= 0 && f.mode <= 0o777))
          fail(`startup.files.${name}.mode must be permission bits in [0, 0o777], got ${JSON.stringify(f.mode)}`);
      }
    }
  }
  if (sc.coordination !== undefined && sc.coordination !== 'redis' && sc.coordination !== 'folder')
    fail(`coordination must be "redis" or "folder", got ${JSON.stringify(sc.coordination)}`);
  if (sc.watchdog !== undefined) {
    const w = sc.watchdog as { periodMs?: unknown };
    if (typeof w !== 'object' || w === null || Object.keys(w).some((k) => k !== 'periodMs'))
      fail('watchdog must be {periodMs} (the watchdog period in milliseconds)');
    if (typeof w.periodMs !== 'number' || !Number.isInteger(w.periodMs) || w.periodMs < 200 || w.periodMs > 600_000)
      fail(`watchdog.periodMs must be an integer from 200 to 600000, got ${JSON.stringify(w.periodMs)}`);
  }
  if (sc.account !== undefined) {
    const a = sc.account as Record<string, unknown>;
    if (typeof a !== 'object' || a === null || Array.isArray(a)) fail('account must be an object { dualSidePosition }');
    for (const k of Object.keys(a))
      if (!['dualSidePosition', 'realizedPnlToday', 'dust'].includes(k))
        fail(`account: unknown field ${JSON.stringify(k)} (known: dualSidePosition, realizedPnlToday, dust)`);
    if (a.dust !== undefined) {
      const d = a.dust as Record<string, unknown>;
      if (
        typeof d !== 'object' ||
        d === null ||
        Array.isArray(d) ||
        Object.entries(d).some(([k, v]) => !/^[A-Z0-9]{2,10}$/.test(k) || !(typeof v === 'number' && v >= 0))
      )
        fail('account.dust must map asset names (A-Z0-9) to amounts >= 0');
    }
    if (a.dualSidePosition !== undefined && typeof a.dualSidePosition !== 'boolean') fail('account.dualSidePosition must be true or false');
    if (a.realizedPnlToday !== undefined) {
      const r = a.realizedPnlToday as { rows?: unknown; totalUsdt?: unknown };
      if (
        typeof r !== 'object' ||
        r === null ||
        !Number.isInteger(r.rows) ||
        (r.rows as number) < 1 ||
        (r.rows as number) > 100_000 ||
        !Number.isFinite(r.totalUsdt)
      )
        fail('account.realizedPnlToday must be { rows: 1..100000, totalUsdt: a finite number }');
    }
  }
  return sc as Scenario;
}
