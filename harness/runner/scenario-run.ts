import { createHmac } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { mergeValidity, runCheck } from '../checkers/compose.ts';
import { checker } from '../checkers/registry.ts';
import type { NamedCheckResult, Validity } from '../checkers/types.ts';
import { abortReason, sleep } from '../core/abort.ts';
import { AbortedError, RuntimeFailure } from '../core/errors.ts';
import type { Scenario } from '../core/scenario.ts';
import { buildSchedule, instanceIds, type ScheduledFault } from '../core/schedule.ts';
import { faultKind } from '../faults/registry.ts';
import type { FaultContext } from '../faults/types.ts';
import { readHistory, scenarioEvents } from '../history/reader.ts';
import type { HistoryWriter } from '../history/writer.ts';
import { backfillMarket } from '../market/history.ts';
import type { Link, LinkName, StartedRuntime } from '../runtimes/types.ts';
import { LINK_NAMES } from '../runtimes/types.ts';
import type { ResolvedTarget } from '../targets/manifest.ts';
import { venueSymbols } from '../venue/extra-symbols.ts';
import { startVenue } from '../venue/index.ts';
import type { StartedVenue, VenueAccount } from '../venue/types.ts';
import { CleanupStack } from './cleanup-stack.ts';
import { FaultDriver } from './fault-driver.ts';
import { InstanceSet } from './instances.ts';
import { MarketDriver } from './market-driver.ts';
import { type NotifySocket, openNotifySocket } from './notify-socket.ts';
import { createRedisUsers, startRedisMonitor } from './redis-monitor.ts';
import { judgeStartup } from './startup-outcome.ts';

export type Verdict = 'pass' | 'fail' | 'unknown';

export interface ScenarioOutcome {
  id: string;
  title: string;
  findings: string[];
  verdict: Verdict;
  checks: NamedCheckResult[];
  schedule: ScheduledFault[];
  durationMs: number;
  /** Set when the harness or runtime failed, or the run was interrupted. */
  error?: string;
  interrupted?: string;
}

export interface ScenarioRunInput {
  scenario: Scenario;
  seed: number;
  target: ResolvedTarget;
  runDir: string;
  recorder: HistoryWriter;
  signal: AbortSignal;
  startRuntime: (signal: AbortSignal) => Promise<StartedRuntime>;
  onPhase?: (phase: string) => void;
}

/** Deterministic per-run API credentials, 64 characters like Binance's. */
function credentials(seed: number, instance: string): { apiKey: string; apiSecret: string } {
  const h = (label: string) => createHmac('sha256', `faultline:${seed}`).update(`${label}:${instance}`).digest('hex');
  return { apiKey: h('key'), apiSecret: h('secret') };
}

export function verdictOf(v: Validity): Verdict {
  return v === true ? 'pass' : v === false ? 'fail' : 'unknown';
}

/** Runs one scenario end to end; never throws for runtime failures (they make the verdict unknown). */
export async function runScenario(input: ScenarioRunInput): Promise<ScenarioOutcome> {
  const { scenario, seed, target, recorder } = input;
  const phase = input.onPhase ?? (() => {});
  const schedule = buildSchedule(scenario, seed);
  const started = performance.now();
  recorder.setScenario(scenario.id);
  recorder.record('harness', 'scenario.start', {
    id: scenario.id,
    seed,
    findings: scenario.findings,
    target: target.manifest.name,
    targetOptions: target.options,
    durationMs: scenario.durationMs,
    market: scenario.market,
    schedule,
  });

  const cleanup = new CleanupStack();
  const local = new AbortController();
  const signal = AbortSignal.any([input.signal, local.signal]);
  let error: unknown;
  try {
    phase('starting runtime');
    const runtime = await input.startRuntime(signal);
    cleanup.push('runtime', () => runtime.stop());

    const instances = instanceIds(scenario.instances);
    const redisUrls = await createRedisUsers(runtime.redisUrl, instances);
    const redisMonitor = await startRedisMonitor(runtime.redisUrl, recorder);
    cleanup.push('redis monitor', () => redisMonitor.stop());
    const accounts: VenueAccount[] = instances.map((instance) => ({
      instance,
      ...credentials(seed, instance),
      balanceUsdt: 10_000,
      ...(scenario.account?.dualSidePosition ? { dualSidePosition: true } : {}),
      ...(scenario.account?.realizedPnlToday ? { realizedPnlToday: scenario.account.realizedPnlToday } : {}),
      ...(scenario.account?.dust ? { dust: scenario.account.dust } : {}),
    }));
    const symbols = venueSymbols(scenario.market.symbol);
    const symbol = symbols.find((s) => s.symbol === scenario.market.symbol);
    if (!symbol) throw new RuntimeFailure(`the venue does not list ${scenario.market.symbol}`);
    const venue: StartedVenue = await startVenue({ recorder, symbols, accounts });
    cleanup.push('venue', () => venue.stop());

    const { historyMinutes = 0 } = scenario.market;
    if (historyMinutes > 0) {
      backfillMarket(venue, seed, scenario.market, { tickSize: Number(symbol.tickSize), stepSize: Number(symbol.stepSize) }, historyMinutes);
      recorder.record('harness', 'market.history', { symbol: scenario.market.symbol, minutes: historyMinutes });
    }
    const market = new MarketDriver(seed, scenario.market, Number(symbol.tickSize), Number(symbol.stepSize), recorder, venue);
    market.start();
    cleanup.push('market', () => market.stop());

    const links = new Map<string, Link>();
    for (const instance of instances) {
      for (const name of LINK_NAMES) links.set(`${instance}/${name}`, await runtime.createLink(instance, name, venue.portFor(instance)));
    }
    const wantsPostgres = target.manifest.capabilities.includes('postgres') || schedule.some((f) => faultKind(f.kind).needsPostgres);
    const postgres = wantsPostgres ? await runtime.startPostgres() : undefined;
    if (postgres) for (const instance of instances) links.set(`${instance}/db`, await runtime.createLink(instance, 'db', postgres.port));
    const linkOf = (instance: string, name: LinkName): Link => {
      const l = links.get(`${instance}/${name}`);
      if (!l) throw new RuntimeFailure(`no link ${name} for ${instance}`);
      return l;
    };

    if (target.manifest.build) {
      phase(`building target ${target.manifest.name}`);
      await runtime.buildTarget(target.dir, target.manifest.build.command, target.manifest.build.timeoutMs ?? 300_000, signal);
    }

    phase('starting target');
    const startup = scenario.startup;
    // A bad-input startup decides within decideMs whether the target became ready, exited or hangs.
    const manifest = startup ? { ...target.manifest, ready: { ...target.manifest.ready, timeoutMs: startup.decideMs } } : target.manifest;
    const scenarioDir = join(input.runDir, scenario.id);
    // Coordination "folder": the instances share one folder instead of Redis (SHARED_DIR).
    const sharedDir = scenario.coordination === 'folder' ? join(scenarioDir, 'shared') : undefined;
    if (sharedDir) mkdirSync(sharedDir, { recursive: true });
    // Watchdog: each instance gets its own notify socket, as a systemd unit with WatchdogSec would.
    const notify = new Map<string, NotifySocket>();
    if (scenario.watchdog) {
      for (const instance of instances) {
        const sock = await openNotifySocket({ instance, recorder });
        cleanup.push(`notify socket ${instance}`, () => sock.close());
        notify.set(instance, sock);
        recorder.record('harness', 'watchdog.socket', { periodMs: scenario.watchdog.periodMs, path: sock.path }, instance);
      }
    }
    const sharedDirs = [...(sharedDir ? [sharedDir] : []), ...[...notify.values()].map((n) => n.dir)];
    const targets = new InstanceSet({ runtime, manifest, dir: target.dir, recorder, signal, scenarioDir, sharedDirs });
    cleanup.push('stop targets', () => targets.stopAll());
    const shimmed = new Set(schedule.filter((f) => faultKind(f.kind).needsClockShim).map((f) => f.instance));
    if (startup) {
      const files = Object.fromEntries(
        Object.entries(startup.files ?? {}).map(([n, f]) => [n, { mode: `0o${(f.mode ?? 0o600).toString(8)}`, bytes: Buffer.byteLength(f.content) }]),
      );
      recorder.record('harness', 'startup.config', {
        instances,
        env: startup.env,
        decideMs: startup.decideMs,
        ...(startup.files ? { files } : {}),
        ...(startup.mentions ? { mentions: startup.mentions } : {}),
        ...(scenario.account ? { account: scenario.account } : {}),
      });
    }
    const ready = await Promise.all(
      instances.map(async (instance, i) => {
        const acct = accounts[i] as VenueAccount;
        const env = {
          ...target.env,
          VENUE_REST_URL: `http://${linkOf(instance, 'rest').listen}`,
          VENUE_WS_URL: `ws://${linkOf(instance, 'market-ws').listen}`,
          VENUE_USER_WS_URL: `ws://${linkOf(instance, 'user-ws').listen}`,
          VENUE_API_KEY: acct.apiKey,
          VENUE_API_SECRET: acct.apiSecret,
          SYMBOLS: scenario.market.symbol,
          BOT_INSTANCE_ID: instance,
          ...(sharedDir ? { SHARED_DIR: sharedDir } : { REDIS_URL: redisUrls[instance] as string }),
          ...(scenario.watchdog
            ? { NOTIFY_SOCKET: (notify.get(instance) as NotifySocket).path, WATCHDOG_USEC: String(scenario.watchdog.periodMs * 1000) }
            : {}),
          ...(postgres ? { DATABASE_URL: `postgres://postgres@${linkOf(instance, 'db').listen}/faultline` } : {}),
          ...(startup?.env ?? {}),
        };
        const start = () => targets.start(instance, env, { clockShim: shimmed.has(instance), ...(startup?.files ? { files: startup.files } : {}) });
        if (!startup) return start().then(() => true);
        const logDir = join(scenarioDir, instance);
        const running = () => targets.control(instance).running;
        return judgeStartup({ instance, start, running, logDir, decideMs: startup.decideMs, recorder, signal });
      }),
    );
    targets.startSampling(1000, (pid) => runtime.sampleResources(pid));
    if (ready.every(Boolean)) {
      const t0 = performance.now();
      recorder.record('harness', 'scenario.ready', { instances, clockShim: [...shimmed] });
      phase('running faults');
      const faultCtx: FaultContext = {
        recorder,
        signal,
        link: linkOf,
        venue,
        redisUrl: runtime.redisUrl,
        postgresUrl: () => {
          if (!postgres) throw new RuntimeFailure('this scenario runs no PostgreSQL');
          return postgres.adminUrl;
        },
        clock: (instance) => targets.clock(instance),
        target: (instance) => targets.control(instance),
        sharedDir: () => {
          if (!sharedDir) throw new RuntimeFailure('this scenario shares no folder (coordination "folder")');
          return sharedDir;
        },
      };
      const faults = new FaultDriver(schedule, faultCtx, (fn) => recorder.subscribe(fn));
      cleanup.push('heal faults', () => faults.healAll());
      // The window's end stops faults that have not fired (a trigger that never came) without failing the run.
      const window = new AbortController();
      const faultsDone = faults.run(t0, AbortSignal.any([signal, window.signal]));
      faultsDone.catch(() => {});
      await sleep(scenario.durationMs, signal);
      window.abort(new AbortedError('scenario window ended'));
      await faultsDone.catch((err: unknown) => {
        if (signal.aborted || !window.signal.aborted || !(err instanceof AbortedError)) throw err;
      });
      recorder.record('harness', 'scenario.window.end', {});
      await faults.healAll();
    } else {
      // Bad-input startup that did not come up: there is no trading window to run faults in.
      recorder.record('harness', 'scenario.window.skipped', { reason: 'not every instance became ready' });
    }

    phase('stopping target');
    await targets.stopAll();
    market.stop();
    recorder.record('harness', 'snapshot', {
      positions: Object.fromEntries(instances.map((i) => [i, { [scenario.market.symbol]: venue.position(i, scenario.market.symbol) }])),
      ticks: market.ticks,
    });
  } catch (err) {
    error = signal.aborted ? abortReason(signal) : err;
  } finally {
    phase('tearing down');
    local.abort(new AbortedError('teardown'));
    await cleanup.run((what, err) => recorder.record('harness', 'teardown.error', { what, error: String(err) }));
  }
  const interrupted = error instanceof AbortedError ? (error.signal ?? 'abort') : undefined;
  recorder.record('harness', 'scenario.end', {
    id: scenario.id,
    ...(error ? { error: String(error instanceof Error ? error.message : error) } : {}),
    ...(interrupted ? { interrupted } : {}),
  });
  recorder.setScenario(undefined);

  phase('checking');
  const events = scenarioEvents(readHistory(recorder.path).events, scenario.id);
  const checks = scenario.checks.map((c) =>
    runCheck(checker(c.name), events, { scenario, capabilities: target.manifest.capabilities, options: c.options ?? {} }),
  );
  let verdict = verdictOf(mergeValidity(checks.map((c) => c.valid)));
  // A run that did not complete can still prove a violation, but never a pass.
  if (error && verdict === 'pass') verdict = 'unknown';
  const outcome: ScenarioOutcome = {
    id: scenario.id,
    title: scenario.title,
    findings: scenario.findings,
    verdict,
    checks,
    schedule,
    durationMs: Math.round(performance.now() - started),
  };
  if (error) outcome.error = describe(error);
  if (interrupted) outcome.interrupted = interrupted;
  return outcome;
}

function describe(err: unknown): string {
  if (err instanceof RuntimeFailure) return `${err.message}${err.hint ? `\n${err.hint}` : ''}`;
  return err instanceof Error ? err.message : String(err);
}
