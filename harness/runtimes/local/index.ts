import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { abortReason } from '../../core/abort.ts';
import { ConfigError, RuntimeFailure } from '../../core/errors.ts';
import type { Recorder } from '../../history/types.ts';
import { CleanupStack } from '../../runner/cleanup-stack.ts';
import { createClockShim } from '../clock-shim.ts';
import { createProxyLink } from '../proxy-link.ts';
import type { Link, LinkName, StartedRuntime, TargetHandle, TargetSpawn } from '../types.ts';
import { findBinary } from './binaries.ts';
import { findLibfaketime } from './clock-shim.ts';
import { registerPid } from './pid-registry.ts';
import { freePort } from './ports.ts';
import { startPostgres } from './postgres.ts';
import { ManagedProcess } from './process.ts';
import { startRedis } from './redis.ts';
import { sampleProcess } from './resources.ts';
import { HARNESS_PID_ENV, TEMP_PREFIX } from './sweep.ts';
import { startToxiproxy } from './toxiproxy.ts';

export interface LocalRuntimeOptions {
  projectRoot: string;
  runId: string;
  recorder: Recorder;
  signal: AbortSignal;
}

/**
 * The embedded default runtime: redis-server and toxiproxy-server as child processes on free
 * loopback ports, targets as process groups, everything in one temp folder removed at stop.
 */
export async function startLocalRuntime(opts: LocalRuntimeOptions): Promise<StartedRuntime> {
  const { recorder, signal } = opts;
  const cleanup = new CleanupStack();
  const tempDir = mkdtempSync(join(tmpdir(), `${TEMP_PREFIX}${opts.runId}-`));
  writeFileSync(join(tempDir, 'harness.pid'), `${process.pid}\n`);
  cleanup.push('temp folder', () => {
    rmSync(tempDir, { recursive: true, force: true });
    recorder.record('runtime', 'temp.remove', { path: tempDir });
  });
  recorder.record('runtime', 'temp.create', { path: tempDir });
  const baseEnv: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? tempDir,
    LANG: process.env.LANG ?? 'C.UTF-8',
    TMPDIR: tempDir,
    [HARNESS_PID_ENV]: String(process.pid),
    FAULTLINE_RUN_ID: opts.runId,
  };
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await cleanup.run((what, err) => recorder.record('runtime', 'teardown.error', { what, error: String(err) }));
  };

  try {
    const redisBin = findBinary('redis-server', opts.projectRoot, 'FAULTLINE_REDIS_SERVER');
    const toxiBin = findBinary('toxiproxy-server', opts.projectRoot, 'FAULTLINE_TOXIPROXY_SERVER');

    /** A started dependency: in the pid registry (orphan sweep), in the history, stopped at teardown. */
    const track = (name: string, proc: ManagedProcess, url: string, stop: { signal: NodeJS.Signals; graceMs: number }) => {
      registerPid(tempDir, proc.pid, name);
      recorder.record('runtime', 'dep.start', { name, pid: proc.pid, url });
      cleanup.push(name, async () => {
        const e = await proc.stop(stop.signal, stop.graceMs);
        recorder.record('runtime', 'dep.stop', { name, pid: proc.pid, ...e });
      });
    };

    const redis = await startRedis({ binary: redisBin, port: await freePort(), dir: tempDir, env: baseEnv, signal });
    track('redis', redis.process, redis.url, { signal: 'SIGTERM', graceMs: 3000 });
    const toxi = await startToxiproxy({ binary: toxiBin, port: await freePort(), dir: tempDir, env: baseEnv, signal });
    track('toxiproxy', toxi.process, toxi.apiUrl, { signal: 'SIGTERM', graceMs: 3000 });

    const targets: ManagedProcess[] = [];
    let postgres: Promise<{ adminUrl: string; port: number }> | undefined;

    return {
      name: 'local',
      redisUrl: redis.url,
      linkHost: '127.0.0.1',
      async createLink(instance: string, name: LinkName, upstreamPort: number): Promise<Link> {
        const proxyName = `${instance}-${name}`;
        const link = await createProxyLink(toxi.client, {
          proxyName,
          instance,
          name,
          upstream: `127.0.0.1:${upstreamPort}`,
          bind: '127.0.0.1:0',
          advertise: (bound) => bound,
        });
        recorder.record('runtime', 'link.create', { proxy: proxyName, link: name, listen: link.listen, upstream: link.upstream }, instance);
        // Deleted explicitly (not just with the server) so the same teardown is right for a shared Toxiproxy.
        cleanup.push(`proxy ${proxyName}`, async () => {
          await link.remove();
          recorder.record('runtime', 'link.remove', { proxy: proxyName, link: name }, instance);
        });
        return link;
      },
      async buildTarget(dir: string, command: string[], timeoutMs: number, buildSignal: AbortSignal): Promise<void> {
        const [cmd, ...args] = command as [string, ...string[]];
        const logFile = join(tempDir, 'build.log');
        const proc = await ManagedProcess.start({
          name: `build ${dir}`,
          command: cmd,
          args,
          cwd: dir,
          env: { ...process.env, ...baseEnv, TMPDIR: tmpdir() } as Record<string, string>,
          stdoutFile: logFile,
          stderrFile: logFile,
        });
        const timer = setTimeout(() => proc.signal('SIGKILL'), timeoutMs);
        const onAbort = () => proc.signal('SIGKILL');
        buildSignal.addEventListener('abort', onAbort, { once: true });
        try {
          const e = await proc.exited;
          if (buildSignal.aborted) throw abortReason(buildSignal);
          if (e.code !== 0) {
            const tail = readFileSync(logFile, 'utf8').split('\n').slice(-15).join('\n');
            throw new RuntimeFailure(`target build failed (${command.join(' ')} in ${dir}, exit ${e.code ?? e.signal})\n${tail}`);
          }
        } finally {
          clearTimeout(timer);
          buildSignal.removeEventListener('abort', onAbort);
        }
      },
      async startTarget(spec: TargetSpawn): Promise<TargetHandle> {
        mkdirSync(spec.logDir, { recursive: true });
        const [cmd, ...args] = spec.command as [string, ...string[]];
        const proc = await ManagedProcess.start({
          name: `target ${spec.instance}`,
          command: cmd,
          args,
          cwd: spec.cwd,
          env: { ...baseEnv, ...spec.env },
          onStdoutLine: spec.onStdoutLine,
          stdoutFile: join(spec.logDir, 'stdout.log'),
          stderrFile: join(spec.logDir, 'stderr.log'),
        });
        targets.push(proc);
        registerPid(tempDir, proc.pid, `target ${spec.instance}`);
        recorder.record('target', 'target.start', { pid: proc.pid, command: spec.command }, spec.instance);
        void proc.exited.then((e) => recorder.record('target', 'target.exit', { pid: proc.pid, ...e }, spec.instance));
        // Safety net only: the runner stops targets gracefully before the runtime stops.
        cleanup.push(`target ${spec.instance}`, async () => {
          await proc.stop('SIGKILL', 0);
        });
        return {
          instance: spec.instance,
          pid: proc.pid,
          exited: proc.exited,
          get running() {
            return proc.running;
          },
          signal: (sig) => proc.signal(sig),
          closeOutput: (stream) => proc.closeOutput(stream),
          stop: (sig, graceMs) => proc.stop(sig, graceMs),
        };
      },
      startPostgres() {
        postgres ??= (async () => {
          const pgDir = join(tempDir, 'pg');
          mkdirSync(pgDir);
          const started = await startPostgres({ dir: pgDir, port: await freePort(), env: baseEnv, signal });
          // SIGINT = PostgreSQL's fast shutdown: abort transactions, close connections, exit.
          track('postgres', started.process, started.adminUrl, { signal: 'SIGINT', graceMs: 5000 });
          return { adminUrl: started.adminUrl, port: started.port };
        })();
        return postgres;
      },
      sampleResources: (pid) => sampleProcess(pid) as Record<string, number> | undefined,
      clockShim: (_instance, file) => createClockShim(file, findLibfaketime()),
      stop,
    };
  } catch (err) {
    await stop();
    throw err instanceof RuntimeFailure || err instanceof ConfigError || signal.aborted
      ? err
      : new RuntimeFailure('local runtime failed to start', { cause: err });
  }
}
