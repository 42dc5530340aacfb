import { ConfigError, RuntimeFailure } from '../../core/errors.ts';
import type { Recorder } from '../../history/types.ts';
import { CleanupStack } from '../../runner/cleanup-stack.ts';
import { createClockShim } from '../clock-shim.ts';
import { createProxyLink } from '../proxy-link.ts';
import type { Link, LinkName, StartedRuntime, TargetHandle, TargetSpawn } from '../types.ts';
import type { StartedDep } from './container.ts';
import { docker } from './docker.ts';
import { CONTAINER_LIBFAKETIME, IMAGES } from './images.ts';
import { createRunNetwork } from './network.ts';
import { POSTGRES_ALIAS, startPostgresContainer } from './postgres.ts';
import { REDIS_ALIAS, startRedisContainer } from './redis.ts';
import { startRelay, type VenueRelay } from './relay.ts';
import { PRODUCTION_HOSTS, startSinkhole } from './sinkhole.ts';
import type { ContainerStats } from './stats.ts';
import { installExitSweep, sweepContainers } from './sweep.ts';
import { type Netguard, startNetguard, startTargetContainer } from './target.ts';
import { buildTargetImage, targetImageName } from './target-image.ts';
import { startToxiproxyContainer, TOXIPROXY_ALIAS } from './toxiproxy.ts';

export interface ContainersRuntimeOptions {
  projectRoot: string;
  runId: string;
  recorder: Recorder;
  signal: AbortSignal;
}

/**
 * The containers runtime: per run, one internal Docker network holding Redis, Toxiproxy, the
 * egress sinkhole (and PostgreSQL when needed), all through testcontainers; each target instance
 * in a container built from the target's Dockerfile, inside a netguard namespace that can reach
 * only the run's own containers. The venue stays in the harness on loopback, reached through a
 * relay that only Toxiproxy may use. Everything is labelled with the run and the harness pid;
 * teardown removes it, and a later run's sweep removes what a killed harness left.
 */
export async function startContainersRuntime(opts: ContainersRuntimeOptions): Promise<StartedRuntime> {
  const { recorder, signal, runId } = opts;
  const d = await docker();
  const cleanup = new CleanupStack();
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await cleanup.run((what, err) => recorder.record('runtime', 'teardown.error', { what, error: String(err) }));
    // Last pass: anything of this run a failed step left (a container whose start timed out).
    const rest = await sweepContainers({ runId }).catch(() => ({ containers: [], networks: [] }));
    if (rest.containers.length || rest.networks.length) recorder.record('runtime', 'sweep', { ...rest, reason: 'teardown' });
  };

  try {
    const swept = await sweepContainers();
    if (swept.containers.length || swept.networks.length) recorder.record('runtime', 'sweep', { ...swept, reason: 'dead harness' });
    cleanup.push('exit hook', installExitSweep(runId));

    const network = await createRunNetwork(d, runId);
    recorder.record('runtime', 'network.create', { name: network.name, id: network.id, internal: true, gateway: network.gateway });
    cleanup.push('network', async () => {
      await network.remove();
      recorder.record('runtime', 'network.remove', { name: network.name });
    });

    const depStarted = <T extends StartedDep>(name: string, dep: T, url?: string): T => {
      recorder.record('runtime', 'dep.start', {
        name,
        container: dep.container.getName().replace(/^\//, ''),
        containerId: dep.container.getId(),
        ip: dep.ip,
        pid: dep.pid,
        ...(url ? { url } : {}),
      });
      cleanup.push(name, async () => {
        await dep.container.stop({ remove: true, timeout: 2000 });
        recorder.record('runtime', 'dep.stop', { name, containerId: dep.container.getId() });
      });
      return dep;
    };
    const netguards = new Map<string, Netguard>();
    const instanceOf = (ip: string) => [...netguards.entries()].find(([, g]) => g.ip === ip)?.[0];
    const [redis, toxi, sinkhole] = await Promise.all([
      startRedisContainer(runId, network).then((r) => depStarted('redis', r, r.url)),
      startToxiproxyContainer(runId, network, signal).then((t) => depStarted('toxiproxy', t, t.apiUrl)),
      startSinkhole({ d, runId, network, recorder, instanceOf }).then((s) => depStarted('sinkhole', s)),
    ]);
    cleanup.push('sinkhole log', () => sinkhole.stopFollowing());

    // Addresses the harness uses, as a target on the run's network must write them.
    const translations: [string, string][] = [[`${redis.ip}:6379`, `${REDIS_ALIAS}:6379`]];
    const translate = (env: Record<string, string>) =>
      Object.fromEntries(Object.entries(env).map(([k, v]) => [k, translations.reduce((s, [from, to]) => s.split(from).join(to), v)]));

    const relays = new Map<number, Promise<VenueRelay>>();
    const relayFor = (port: number) => {
      let r = relays.get(port);
      if (!r) {
        r = startRelay({
          listenHost: network.gateway,
          allowFrom: toxi.ip,
          targetPort: port,
          onRefused: (from) => recorder.record('runtime', 'relay.refused', { from, port }),
        });
        relays.set(port, r);
        void r.then((relay) => cleanup.push(`venue relay ${port}`, () => relay.close())).catch(() => {});
      }
      return r;
    };

    let image: string | undefined;
    let postgres: Promise<{ adminUrl: string; port: number }> | undefined;
    const stats = new Map<number, ContainerStats>();
    const starts = new Map<string, number>();

    return {
      name: 'containers',
      redisUrl: redis.url,
      linkHost: 'toxiproxy',
      async createLink(instance: string, name: LinkName, upstreamPort: number): Promise<Link> {
        const proxyName = `${instance}-${name}`;
        // The db link goes to the PostgreSQL container on the run's network; venue links to the relay.
        const upstream = name === 'db' ? `${POSTGRES_ALIAS}:${upstreamPort}` : (await relayFor(upstreamPort)).address;
        const link = await createProxyLink(toxi.client, {
          proxyName,
          instance,
          name,
          upstream,
          bind: '0.0.0.0:0',
          advertise: (bound) => `${TOXIPROXY_ALIAS}:${bound.slice(bound.lastIndexOf(':') + 1)}`,
        });
        recorder.record('runtime', 'link.create', { proxy: proxyName, link: name, listen: link.listen, upstream: link.upstream }, instance);
        cleanup.push(`proxy ${proxyName}`, async () => {
          await link.remove();
          recorder.record('runtime', 'link.remove', { proxy: proxyName, link: name }, instance);
        });
        return link;
      },
      async buildTarget(dir: string, _command: string[], timeoutMs: number, buildSignal: AbortSignal): Promise<void> {
        // The Dockerfile is the containers runtime's build; the manifest's build command is the local one.
        const built = await buildTargetImage(dir, timeoutMs, buildSignal);
        image = built.image;
        recorder.record('runtime', 'image.build', { image: built.image, dir, ms: built.ms });
      },
      async startTarget(spec: TargetSpawn): Promise<TargetHandle> {
        if (!image) {
          const built = await buildTargetImage(spec.cwd, 300_000, signal);
          image = built.image;
          recorder.record('runtime', 'image.build', { image: built.image, dir: spec.cwd, ms: built.ms });
        }
        let guard = netguards.get(spec.instance);
        if (!guard) {
          guard = await startNetguard({ runId, instance: spec.instance, network, sinkholeIp: sinkhole.ip, productionHosts: PRODUCTION_HOSTS });
          netguards.set(spec.instance, guard);
          const g = guard;
          recorder.record('runtime', 'netguard.start', { containerId: g.id, ip: g.ip }, spec.instance);
          cleanup.push(`netguard ${spec.instance}`, () => g.remove());
        }
        const n = (starts.get(spec.instance) ?? 0) + 1;
        starts.set(spec.instance, n);
        const name = `faultline-${runId}-${spec.instance}-${n}`;
        const handle = await startTargetContainer({
          d,
          runId,
          image: image ?? targetImageName(spec.cwd),
          netguard: guard,
          spec: { ...spec, env: translate(spec.env) },
          name,
          recorder,
        });
        stats.set(handle.pid, handle.stats);
        recorder.record('target', 'target.start', { pid: handle.pid, container: name, image, command: spec.command }, spec.instance);
        void handle.exited.then((e) => {
          stats.delete(handle.pid);
          recorder.record('target', 'target.exit', { pid: handle.pid, container: name, ...e }, spec.instance);
        });
        // Safety net only: the runner stops targets gracefully before the runtime stops.
        cleanup.push(`target ${name}`, async () => {
          await handle.stop('SIGKILL', 0);
          await handle.remove();
        });
        return handle;
      },
      startPostgres() {
        postgres ??= (async () => {
          const pg = await startPostgresContainer(runId, network, signal);
          depStarted('postgres', pg, pg.adminUrl);
          return { adminUrl: pg.adminUrl, port: 5432 };
        })();
        return postgres;
      },
      sampleResources: (pid) => stats.get(pid)?.latest(),
      clockShim: (_instance, file) => createClockShim(file, CONTAINER_LIBFAKETIME),
      stop,
    };
  } catch (err) {
    await stop();
    throw err instanceof RuntimeFailure || err instanceof ConfigError || signal.aborted
      ? err
      : new RuntimeFailure(`containers runtime failed to start: ${(err as Error).message}`, {
          cause: err,
          hint: `images: ${Object.values(IMAGES).join(', ')}; run \`npm run provision\` to build them locally`,
        });
  }
}
