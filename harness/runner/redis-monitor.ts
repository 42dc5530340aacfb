import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Recorder } from '../history/types.ts';

const HARNESS_NAME = 'faultline-harness';

/**
 * Gives every target instance its own Redis ACL user, so the commands it sends can be told apart
 * from the other instances' (MONITOR shows only a client address; CLIENT LIST maps the address to
 * the user). Returns each instance's REDIS_URL.
 */
export async function createRedisUsers(adminUrl: string, instances: readonly string[]): Promise<Record<string, string>> {
  const admin = new Redis(adminUrl, { lazyConnect: true, maxRetriesPerRequest: 1, connectionName: HARNESS_NAME });
  await admin.connect();
  try {
    const urls: Record<string, string> = {};
    const base = new URL(adminUrl);
    for (const instance of instances) {
      const password = randomBytes(12).toString('hex');
      await admin.call('ACL', 'SETUSER', instance, 'reset', 'on', `>${password}`, '~*', '&*', '+@all');
      const u = new URL(base);
      u.username = instance;
      u.password = password;
      urls[instance] = u.toString();
    }
    return urls;
  } finally {
    admin.disconnect();
  }
}

/**
 * Records every command an instance sends to Redis as a `redis command` event, in the order Redis
 * executed them (MONITOR), attributed through the client's ACL user. The harness's own commands
 * (lock faults, this lookup) are recorded as user "default" with no instance.
 */
export async function startRedisMonitor(adminUrl: string, recorder: Recorder): Promise<{ stop(): void }> {
  const lookup = new Redis(adminUrl, { lazyConnect: true, maxRetriesPerRequest: 1, connectionName: HARNESS_NAME });
  await lookup.connect();
  const watcher = new Redis(adminUrl, { lazyConnect: true, connectionName: HARNESS_NAME });
  await watcher.connect();
  const users = new Map<string, { user: string; name: string }>();
  const refresh = async () => {
    const list = String(await lookup.call('CLIENT', 'LIST'));
    for (const line of list.split('\n')) {
      const f = Object.fromEntries(line.split(' ').map((kv) => kv.split('=') as [string, string]));
      if (f.addr) users.set(f.addr, { user: f.user ?? 'default', name: f.name ?? '' });
    }
  };
  await refresh();
  const monitor = await watcher.monitor();
  let chain = Promise.resolve();
  let stopped = false;
  monitor.on('monitor', (time: string, args: string[], source: string) => {
    // Serialised so events keep Redis's execution order even when a lookup is needed.
    chain = chain.then(async () => {
      if (stopped) return;
      // A connection's user is known only once it has authenticated: a CLIENT LIST taken between its
      // connect and its AUTH (for another client's command) names it "default", and without a fresh
      // lookup at its AUTH every later command of that instance would pass for a foreign one's.
      const cmd = String(args[0] ?? '').toUpperCase();
      if (!users.has(source) || cmd === 'AUTH' || cmd === 'HELLO') await refresh().catch(() => {});
      const who = users.get(source);
      if (who?.name === HARNESS_NAME) return;
      const user = who?.user ?? 'unknown';
      const instance = user === 'default' || user === 'unknown' ? undefined : user;
      recorder.record('redis', 'command', { user, client: source, serverTime: Number(time), args }, instance);
    });
  });
  return {
    stop() {
      stopped = true;
      monitor.disconnect();
      watcher.disconnect();
      lookup.disconnect();
    },
  };
}
