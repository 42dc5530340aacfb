import { type StartedDep, startDep } from './container.ts';
import { IMAGES } from './images.ts';
import type { RunNetwork } from './network.ts';

export const REDIS_ALIAS = 'redis';

/** The run's Redis: no persistence, reachable as redis:6379 on the run's network. */
export async function startRedisContainer(runId: string, network: RunNetwork): Promise<StartedDep & { url: string }> {
  const dep = await startDep({
    runId,
    network,
    role: 'redis',
    image: IMAGES.redis,
    alias: REDIS_ALIAS,
    command: ['redis-server', '--protected-mode', 'no', '--bind', '0.0.0.0', '--save', '', '--appendonly', 'no'],
    readyLog: /Ready to accept connections/,
  });
  return { ...dep, url: `redis://${dep.ip}:6379` };
}
