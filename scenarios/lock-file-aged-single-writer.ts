import { defineScenario } from '../harness/core/scenario.ts';

/**
 * Two instances share a folder, no Redis; their leader lock is a file in it. At 4 s the harness
 * ages the lock file by 10 minutes while its holder runs and trades, as a long-running writer's
 * untouched lock file ages by itself. A follower that evicts lock files by mtime alone, "without
 * owner/process validation", takes over a live lock and two instances trade at once
 * (003_a7371304fd1017c8.txt#file-lock-stale-eviction-removes-lock-files-older). A hardened one
 * holds a kernel lock that only its holder's exit frees, so the file's age means nothing.
 */
export default defineScenario({
  id: 'lock-file-aged-single-writer',
  title: 'The leader lock file of a live holder looks ten minutes old',
  description:
    'instances: 2 sharing a folder (coordination "folder", no Redis); file-lock-age of refbot-leader-BTCUSDT.lock in the shared folder at 4 s (600 s into the past). ' +
    'Judged from the venue’s orders (no Redis lock to replay): passes when no instance that wrote before writes again within 2 s of the instance that took over.',
  findings: ['003_a7371304fd1017c8.txt#file-lock-stale-eviction-removes-lock-files-older'],
  suites: ['nightly'],
  requires: ['rest-orders', 'folder-lock'],
  instances: 2,
  coordination: 'folder',
  market: { symbol: 'BTCUSDT', startPrice: 60_000, tickMs: 250, volPerTick: 0.0003 },
  durationMs: 10_000,
  faults: [{ kind: 'file-lock-age', instance: 'bot-1', at: 4000, params: { file: 'refbot-leader-BTCUSDT.lock', ageMs: 600_000, in: 'shared' } }],
  checks: [{ name: 'single-writer', options: { handoverMs: 2000 } }],
});
