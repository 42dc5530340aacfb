import type Dockerode from 'dockerode';
import { ConfigError } from '../../core/errors.ts';

// Ryuk (testcontainers' reaper) is an image pulled from a registry, which machines like ours lack;
// the runtime cleans up after itself through labels instead (labels.ts, sweep.ts).
process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';

let client: Promise<Dockerode> | undefined;

/** The Docker API client testcontainers uses (dockerode), or a ConfigError saying how to get an engine. */
export function docker(): Promise<Dockerode> {
  client ??= (async () => {
    const { getContainerRuntimeClient } = await import('testcontainers');
    try {
      const c = await getContainerRuntimeClient();
      return c.container.dockerode;
    } catch (err) {
      client = undefined;
      throw new ConfigError(
        `the containers runtime needs a Docker engine: ${(err as Error).message.split('\n')[0]}`,
        'run `npm run provision` (installs docker.io, starts dockerd, builds the images)',
      );
    }
  })();
  return client;
}
