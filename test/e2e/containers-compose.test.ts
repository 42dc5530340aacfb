import { execFileSync, spawnSync } from 'node:child_process';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../harness/core/abort.ts';
import { freePort } from '../../harness/runtimes/local/ports.ts';
import { ROOT } from './cli-run.ts';
import { requireDocker } from './containers-docker.ts';

/**
 * The top-level docker-compose.yml really comes up: Redis answers PING, PostgreSQL a query,
 * Toxiproxy its API with the three venue proxies, refbot starts (and, with no venue running, says
 * it cannot reach one); `down -v` leaves no container, network or volume of the project.
 */
const project = `faultline-compose-test-${process.pid}`;
// Debian's docker-compose (v1) where it is installed, else the v2 plugin.
const compose = spawnSync('docker-compose', ['version'], { stdio: 'ignore' }).status === 0 ? ['docker-compose'] : ['docker', 'compose'];
const ports = { redis: 0, postgres: 0, toxiproxy: 0 };
let env: NodeJS.ProcessEnv = {};

function run(args: string[]): string {
  const [cmd, ...pre] = compose as [string, ...string[]];
  return execFileSync(cmd, [...pre, '-p', project, ...args], { cwd: ROOT, env, encoding: 'utf8', timeout: 300_000, stdio: ['ignore', 'pipe', 'pipe'] });
}

function projectLeftovers(): string[] {
  const filter = `label=com.docker.compose.project=${project}`;
  const ls = (format: string, ...args: string[]) =>
    execFileSync('docker', [...args, '--filter', filter, '--format', format], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean);
  return [
    ...ls('{{.Names}}', 'ps', '-a').map((n) => `container ${n}`),
    ...ls('{{.Name}}', 'network', 'ls').map((n) => `network ${n}`),
    ...ls('{{.Name}}', 'volume', 'ls').map((n) => `volume ${n}`),
  ];
}

beforeAll(async () => {
  requireDocker();
  ports.redis = await freePort();
  ports.postgres = await freePort();
  ports.toxiproxy = await freePort();
  env = {
    ...process.env,
    DOCKER_BUILDKIT: '0',
    FAULTLINE_REDIS_PORT: String(ports.redis),
    FAULTLINE_POSTGRES_PORT: String(ports.postgres),
    FAULTLINE_TOXIPROXY_PORT: String(ports.toxiproxy),
  };
  run(['up', '-d', '--build']);
}, 300_000);

afterAll(() => {
  run(['down', '-v', '--remove-orphans']);
  expect(projectLeftovers()).toEqual([]);
});

describe('docker-compose.yml', () => {
  it('Redis, PostgreSQL and Toxiproxy answer', async () => {
    const signal = new AbortController().signal;
    await waitFor(
      async () => {
        const r = new Redis({ host: '127.0.0.1', port: ports.redis, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
        r.on('error', () => {});
        try {
          await r.connect();
          return (await r.ping()) === 'PONG' ? true : undefined;
        } catch {
          return undefined;
        } finally {
          r.disconnect();
        }
      },
      { timeoutMs: 30_000, intervalMs: 200, signal, what: 'redis from docker-compose' },
    );
    const rows = await waitFor(
      async () => {
        const c = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:${ports.postgres}/faultline` });
        try {
          await c.connect();
          return (await c.query('SELECT 41 + 1 AS answer')).rows;
        } catch {
          return undefined;
        } finally {
          await c.end().catch(() => {});
        }
      },
      { timeoutMs: 60_000, intervalMs: 250, signal, what: 'postgres from docker-compose' },
    );
    expect(rows).toEqual([{ answer: 42 }]);
    const proxies = await waitFor(
      async () => {
        const res = await fetch(`http://127.0.0.1:${ports.toxiproxy}/proxies`).catch(() => undefined);
        return res?.ok ? ((await res.json()) as Record<string, { listen: string; upstream: string }>) : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 200, signal, what: 'toxiproxy from docker-compose' },
    );
    expect(Object.keys(proxies).sort()).toEqual(['market-ws', 'rest', 'user-ws']);
    expect(proxies.rest?.upstream).toBe('127.0.0.1:8081');
  });

  it('refbot is built from its Dockerfile and starts against the stack', async () => {
    const signal = new AbortController().signal;
    // No venue runs on 8081 here: the bot starts, reaches Toxiproxy, and reports the venue missing.
    const logs = await waitFor(
      async () => {
        const out = run(['logs', '--no-color', 'refbot']);
        return /refbot|startup/i.test(out) ? out : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 500, signal, what: 'refbot logs' },
    );
    expect(logs).toMatch(/startup attempt \d+ failed|startup failed/);
  });
});
