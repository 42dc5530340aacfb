import { GenericContainer, type StartedTestContainer, Wait } from 'testcontainers';
import { docker } from './docker.ts';
import { runLabels } from './labels.ts';
import type { RunNetwork } from './network.ts';

export interface DepSpec {
  runId: string;
  network: RunNetwork;
  role: string;
  image: string;
  /** Name other containers on the run's network use for it. */
  alias: string;
  command?: string[];
  env?: Record<string, string>;
  /** A line the container prints once it serves (testcontainers' log wait strategy). */
  readyLog: RegExp;
  readyTimeoutMs?: number;
}

export interface StartedDep {
  container: StartedTestContainer;
  /** Its address on the run's network, which the harness on this host reaches directly. */
  ip: string;
  /** Host pid of its main process (recorded so leftovers checks can see it is gone). */
  pid: number;
}

/**
 * A GenericContainer attached to the run's network only. testcontainers' own withNetworkAliases
 * creates the container on Docker's default bridge first (which has a route out) and connects it
 * to the network afterwards; this sets the network and aliases at creation instead.
 */
export class RunContainer extends GenericContainer {
  onRunNetwork(network: RunNetwork, aliases: string[]): this {
    this.withNetworkMode(network.name);
    this.createOpts.NetworkingConfig = { EndpointsConfig: { [network.name]: { Aliases: aliases } } };
    return this;
  }

  withDns(servers: string[]): this {
    this.hostConfig.Dns = servers;
    return this;
  }
}

/**
 * A dependency container on the run's network, through testcontainers. Never pulled when the
 * image exists locally (provisioned machines have no registry). Readiness is a log line rather
 * than a mapped port because nothing is published on the host.
 */
export async function startDep(spec: DepSpec): Promise<StartedDep> {
  let c = new RunContainer(spec.image)
    .withName(`faultline-${spec.runId}-${spec.role}`)
    .withLabels(runLabels(spec.runId, spec.role))
    .onRunNetwork(spec.network, [spec.alias])
    .withWaitStrategy(Wait.forLogMessage(spec.readyLog))
    .withStartupTimeout(spec.readyTimeoutMs ?? 30_000);
  if (spec.command) c = c.withCommand(spec.command);
  if (spec.env) c = c.withEnvironment(spec.env);
  const container = await c.start();
  const ip = container.getIpAddress(spec.network.name);
  const info = await (await docker()).getContainer(container.getId()).inspect();
  return { container, ip, pid: info.State.Pid };
}
