import { readdirSync, readFileSync } from 'node:fs';
import type Dockerode from 'dockerode';

interface DockerStats {
  memory_stats?: { usage?: number; stats?: Record<string, number> };
  pids_stats?: { current?: number };
}

/**
 * Resource samples of a target container for the `target resources` events. The runner samples
 * synchronously, so a docker stats stream (one object a second) keeps the latest figures here:
 * the container's resident memory (cgroup rss) and tasks (threads of every process in it). Open
 * fds come from /proc of the bot process (docker-init's child) when the engine is on this host.
 */
export class ContainerStats {
  #latest: Record<string, number> | undefined;
  #stream: NodeJS.ReadableStream | undefined;
  readonly #initPid: number;

  constructor(initPid: number) {
    this.#initPid = initPid;
  }

  async start(container: Dockerode.Container): Promise<void> {
    const stream = (await container.stats({ stream: true })) as unknown as NodeJS.ReadableStream;
    this.#stream = stream;
    let buf = '';
    stream.on('data', (chunk: Buffer) => {
      buf += chunk.toString('utf8');
      let nl = buf.indexOf('\n');
      while (nl >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        nl = buf.indexOf('\n');
        try {
          this.#take(JSON.parse(line) as DockerStats);
        } catch {
          // A partial object at the end of the stream.
        }
      }
    });
    stream.on('error', () => {});
  }

  #take(s: DockerStats): void {
    const m = s.memory_stats?.stats ?? {};
    const rss = m.total_rss ?? m.rss ?? m.anon ?? s.memory_stats?.usage;
    if (rss === undefined) return;
    const sample: Record<string, number> = { rssKb: Math.round(rss / 1024), threads: s.pids_stats?.current ?? Number.NaN };
    const fds = this.#fds();
    if (fds !== undefined) sample.fds = fds;
    this.#latest = sample;
  }

  #fds(): number | undefined {
    try {
      const child = readFileSync(`/proc/${this.#initPid}/task/${this.#initPid}/children`, 'utf8').trim().split(' ')[0];
      return readdirSync(`/proc/${child || this.#initPid}/fd`).length;
    } catch {
      return undefined;
    }
  }

  latest(): Record<string, number> | undefined {
    return this.#latest;
  }

  stop(): void {
    (this.#stream as unknown as { destroy?: () => void } | undefined)?.destroy?.();
    this.#latest = undefined;
  }
}
