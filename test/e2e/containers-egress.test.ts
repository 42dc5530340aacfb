import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCheck } from '../../harness/checkers/compose.ts';
import { noProductionEgress } from '../../harness/checkers/no-production-egress.ts';
import type { Scenario } from '../../harness/core/scenario.ts';
import { readHistory } from '../../harness/history/reader.ts';
import type { HistoryEvent } from '../../harness/history/types.ts';
import { HistoryWriter } from '../../harness/history/writer.ts';
import { startContainersRuntime } from '../../harness/runtimes/containers/index.ts';
import type { StartedRuntime, TargetHandle } from '../../harness/runtimes/types.ts';
import { ROOT } from './cli-run.ts';
import { dockerLeftovers, requireDocker } from './containers-docker.ts';

/**
 * Egress lockdown (audit 001_0474a2fd1532b929.txt#C1: a bot pointed at a production exchange by
 * mistake). refbot configured with Binance's production hostnames is started on the containers
 * runtime: its connection lands on the run's sinkhole, which records host, port and SNI into the
 * history and answers nothing. From inside the bot's namespace the host and the outside world are
 * unreachable, the run's own endpoints are reachable. Nothing here leaves the machine: the target's
 * network is internal and every name resolves to the sinkhole.
 */
const dir = mkdtempSync(join(tmpdir(), 'fl-egress-'));
const runId = `egress-${process.pid}`;
const recorder = new HistoryWriter(join(dir, 'history.jsonl'));
let runtime: StartedRuntime | undefined;
let bot: TargetHandle | undefined;
const container = `faultline-${runId}-bot-1-1`;

function until(match: (e: HistoryEvent) => boolean, timeoutMs: number): Promise<HistoryEvent> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error('timed out waiting for an egress.attempt'));
    }, timeoutMs);
    const off = recorder.subscribe((e) => {
      if (!match(e)) return;
      clearTimeout(timer);
      off();
      resolve(e);
    });
  });
}

/** Runs Python inside the bot's container (same network namespace, same capabilities). */
function inBot(code: string): string {
  return execFileSync('docker', ['exec', container, '/opt/venv/bin/python', '-c', code], { encoding: 'utf8', timeout: 20_000 }).trim();
}

const tryConnect = (host: string, port: number) =>
  `import socket\ns=socket.socket()\ns.settimeout(2)\ntry:\n  s.connect((${JSON.stringify(host)},${port}))\n  print("connected")\nexcept OSError as e:\n  print("refused" if isinstance(e, ConnectionRefusedError) else "unreachable:"+type(e).__name__)`;

beforeAll(async () => {
  requireDocker();
  runtime = await startContainersRuntime({ projectRoot: ROOT, runId, recorder, signal: new AbortController().signal });
  await runtime.buildTarget(join(ROOT, 'targets', 'refbot'), [], 300_000, new AbortController().signal);
  mkdirSync(join(dir, 'bot-1', 'state'), { recursive: true });
  bot = await runtime.startTarget({
    instance: 'bot-1',
    cwd: join(ROOT, 'targets', 'refbot'),
    command: ['python', '-m', 'refbot'],
    env: {
      VENUE_REST_URL: 'https://fapi.binance.com',
      VENUE_WS_URL: 'wss://fstream.binance.com',
      VENUE_API_KEY: 'k'.repeat(64),
      VENUE_API_SECRET: 's'.repeat(64),
      SYMBOLS: 'BTCUSDT',
      BOT_INSTANCE_ID: 'bot-1',
      STATE_DIR: join(dir, 'bot-1', 'state'),
      REDIS_URL: runtime.redisUrl,
    },
    logDir: join(dir, 'bot-1'),
    onStdoutLine: () => {},
  });
}, 180_000);

afterAll(async () => {
  await bot?.stop('SIGKILL', 0);
  await runtime?.stop();
  recorder.close();
  rmSync(dir, { recursive: true, force: true });
  expect(dockerLeftovers(`faultline.run=${runId}`)).toEqual([]);
});

describe('egress lockdown on the containers runtime', () => {
  it('a bot configured with a production exchange hostname is caught by the sinkhole and recorded', async () => {
    const e = await until((x) => x.type === 'egress.attempt' && x.data.kind === 'tcp', 30_000);
    expect(e.src).toBe('runtime');
    expect(e.instance).toBe('bot-1');
    expect(e.data).toMatchObject({ kind: 'tcp', port: 443, host: 'fapi.binance.com', sni: 'fapi.binance.com', blocked: true });
    // And the check encoding 001_0474a2fd1532b929.txt#C1 flags it, pointing at the attempt.
    const verdict = runCheck(noProductionEgress, readHistory(recorder.path).events, { scenario: { id: 'egress' } as Scenario, capabilities: [], options: {} });
    expect(verdict.valid).toBe(false);
    expect(verdict.violations.map((v) => v.evidence[0])).toContain(e.seq);
    // The sinkhole answered nothing: the bot never got a response to trade on.
    const stderr = spawnSync('docker', ['logs', container], { encoding: 'utf8' }).stderr;
    expect(stderr).not.toMatch(/clock offset|positionRisk/);
  });

  it('any other name resolves to the sinkhole through its DNS, and the lookup is recorded', async () => {
    const sinkholeIp = String(readHistory(recorder.path).events.find((x) => x.type === 'dep.start' && x.data.name === 'sinkhole')?.data.ip);
    const wait = until((x) => x.type === 'egress.attempt' && x.data.kind === 'dns' && x.data.host === 'api.some-exchange.example', 15_000);
    expect(inBot('import socket; print(socket.gethostbyname("api.some-exchange.example"))')).toBe(sinkholeIp);
    expect((await wait).instance).toBe('bot-1');
    expect(inBot('import socket; print(socket.gethostbyname("api.bybit.com"))')).toBe(sinkholeIp);
  });

  it('the bot reaches the run endpoints and nothing else: not the host, not the outside', () => {
    const network = readHistory(recorder.path).events.find((x) => x.type === 'network.create');
    expect(network?.data.internal).toBe(true);
    const gateway = String(network?.data.gateway);
    expect(inBot(tryConnect('toxiproxy', 8474))).toBe('connected');
    expect(inBot(tryConnect('redis', 6379))).toBe('connected');
    // The host's address on the run network (where the venue relay lives), and a public address.
    expect(inBot(tryConnect(gateway, 22))).toMatch(/^unreachable/);
    // No route out at all (no default route), proven from the routing table rather than by
    // sending anything towards an outside address.
    const routes = inBot('print(open("/proc/net/route").read())').split('\n').slice(1).filter(Boolean);
    expect(routes.some((line) => line.split(/\s+/)[1] === '00000000')).toBe(false);
    // And it cannot put the route back: no NET_ADMIN in its namespace.
    const r = spawnSync('docker', ['exec', container, 'sh', '-c', 'cat /proc/self/status | grep CapEff'], { encoding: 'utf8' });
    const capEff = BigInt(`0x${r.stdout.trim().split(/\s+/)[1] ?? '0'}`);
    expect(capEff & (1n << 12n)).toBe(0n);
  });
});
