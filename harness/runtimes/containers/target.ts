import { createWriteStream, mkdirSync } from 'node:fs';
import { constants } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { PassThrough } from 'node:stream';
import type Dockerode from 'dockerode';
import { Wait } from 'testcontainers';
import type { Recorder } from '../../history/types.ts';
import type { ExitInfo, TargetHandle, TargetSpawn } from '../types.ts';
import { RunContainer } from './container.ts';
import { IMAGES } from './images.ts';
import { runLabels } from './labels.ts';
import type { RunNetwork } from './network.ts';
import { ContainerStats } from './stats.ts';

export interface Netguard {
  id: string;
  ip: string;
  remove(): Promise<void>;
}

/**
 * Starts the container that owns an instance's network namespace (see docker/netguard): no
 * default route, the host unreachable, DNS and production hostnames answered by the sinkhole.
 * Kept across restarts of the instance, so its address (and attribution) stays the same.
 */
export async function startNetguard(opts: {
  runId: string;
  instance: string;
  network: RunNetwork;
  sinkholeIp: string;
  productionHosts: string[];
}): Promise<Netguard> {
  // NET_ADMIN to set the routes up; the sinkhole as DNS server and pinned for production hosts.
  const started = await new RunContainer(IMAGES.netguard)
    .withName(`faultline-${opts.runId}-${opts.instance}-net`)
    .withLabels(runLabels(opts.runId, 'netguard', opts.instance))
    .onRunNetwork(opts.network, [])
    .withAddedCapabilities('NET_ADMIN')
    .withDns([opts.sinkholeIp])
    .withExtraHosts(opts.productionHosts.map((host) => ({ host, ipAddress: opts.sinkholeIp })))
    .withWaitStrategy(Wait.forLogMessage(/netguard ready/))
    .withStartupTimeout(20_000)
    .start();
  return {
    id: started.getId(),
    ip: started.getIpAddress(opts.network.name),
    remove: async () => {
      await started.stop({ remove: true, timeout: 0 });
    },
  };
}

function exitInfo(status: number, signalled: boolean): ExitInfo {
  // docker-init (PID 1) exits 128+N when the bot died of signal N, as a shell would report it.
  if (signalled && status > 128 && status < 128 + 65) {
    const name = Object.entries(constants.signals).find(([, n]) => n === status - 128)?.[0];
    if (name) return { code: null, signal: name as NodeJS.Signals };
  }
  return { code: status, signal: null };
}

/**
 * One target instance in a container built from its Dockerfile, inside its netguard's network
 * namespace (no NET_ADMIN of its own). Its instance folder is bind-mounted at the same path, so
 * STATE_DIR, the logs and the clock file are the same paths on both sides. It runs as the
 * harness's user (files in the report folder stay the user's) under docker-init, which forwards
 * signals. stdout lines feed the probe parser, stderr goes to stderr.log, as in the local runtime.
 */
export async function startTargetContainer(opts: {
  d: Dockerode;
  runId: string;
  image: string;
  netguard: Netguard;
  spec: TargetSpawn;
  name: string;
  recorder: Recorder;
}): Promise<TargetHandle & { stats: ContainerStats; remove(): Promise<void> }> {
  const { d, spec } = opts;
  mkdirSync(spec.logDir, { recursive: true });
  const container = await d.createContainer({
    name: opts.name,
    Image: opts.image,
    Env: Object.entries(spec.env).map(([k, v]) => `${k}=${v}`),
    Labels: runLabels(opts.runId, 'target', spec.instance),
    User: `${process.getuid?.() ?? 0}:${process.getgid?.() ?? 0}`,
    AttachStdout: true,
    AttachStderr: true,
    HostConfig: {
      NetworkMode: `container:${opts.netguard.id}`,
      Init: true,
      Binds: [spec.logDir, ...(spec.sharedDirs ?? [])].map((dir) => `${dir}:${dir}`),
      CapDrop: ['NET_RAW'],
    },
  });
  // Attach before start: not a line of output is lost.
  const stream = (await container.attach({ stream: true, stdout: true, stderr: true })) as unknown as NodeJS.ReadableStream;
  const out = new PassThrough();
  const errFile = createWriteStream(join(spec.logDir, 'stderr.log'), { flags: 'a' });
  const outFile = createWriteStream(join(spec.logDir, 'stdout.log'), { flags: 'a' });
  d.modem.demuxStream(stream, out, errFile);
  stream.on('end', () => out.end());
  createInterface({ input: out }).on('line', (l) => {
    outFile.write(`${l}\n`);
    spec.onStdoutLine(l);
  });
  const waited = container.wait({ condition: 'next-exit' }) as Promise<{ StatusCode: number }>;
  await container.start();
  const info = await container.inspect();
  const pid = info.State.Pid;
  const stats = new ContainerStats(pid);
  await stats.start(container).catch(() => {});

  let running = true;
  let signalled = false;
  let paused = false;
  const exited: Promise<ExitInfo> = waited.then(
    (r) => {
      running = false;
      stats.stop();
      errFile.end();
      setTimeout(() => outFile.end(), 100);
      return exitInfo(r.StatusCode, signalled);
    },
    () => {
      running = false;
      return { code: null, signal: 'SIGKILL' as NodeJS.Signals };
    },
  );
  // docker calls are asynchronous but signal() is not: a queue keeps SIGSTOP/SIGCONT in order.
  let queue: Promise<unknown> = Promise.resolve();
  const send = (sig: NodeJS.Signals): Promise<unknown> => {
    queue = queue
      .then(async () => {
        if (!running) return;
        if (sig === 'SIGSTOP') {
          if (!paused) await container.pause();
          paused = true;
        } else if (sig === 'SIGCONT') {
          if (paused) await container.unpause();
          paused = false;
        } else {
          signalled = true;
          if (paused) {
            await container.unpause();
            paused = false;
          }
          await container.kill({ signal: sig });
        }
        opts.recorder.record(
          'runtime',
          'container.signal',
          { container: opts.name, signal: sig, via: sig === 'SIGSTOP' ? 'pause' : sig === 'SIGCONT' ? 'unpause' : 'kill' },
          spec.instance,
        );
      })
      .catch((err: unknown) => {
        if (running) opts.recorder.record('runtime', 'container.signal.error', { container: opts.name, signal: sig, error: String(err) }, spec.instance);
      });
    return queue;
  };
  return {
    instance: spec.instance,
    pid,
    exited,
    get running() {
      return running;
    },
    signal: (sig) => {
      void send(sig);
    },
    async stop(sig, graceMs) {
      if (!running) return exited;
      await send(sig);
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timeout'>((res) => {
        timer = setTimeout(() => res('timeout'), graceMs);
      });
      const first = await Promise.race([exited, timedOut]);
      clearTimeout(timer);
      if (first !== 'timeout') return first;
      await send('SIGKILL');
      return exited;
    },
    stats,
    remove: async () => {
      await container.remove({ force: true, v: true }).catch(() => {});
    },
  };
}
