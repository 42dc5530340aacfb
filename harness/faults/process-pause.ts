import { healOnce } from './heal-once.ts';
import { msParam, onlyKeys } from './params.ts';
import type { FaultKind } from './types.ts';

/**
 * Freezes the instance (SIGSTOP to its process group) for durationMs, then resumes it (SIGCONT):
 * a GC pause, a stalled VM, a laptop lid. Past a lock's TTL, a second instance takes over while
 * the first still believes it holds the lock (stale-lock eviction).
 */
export const processPause: FaultKind<{ durationMs: number }> = {
  name: 'process-pause',
  description: 'SIGSTOP the bot for durationMs, then SIGCONT',
  links: [],
  // A frozen bot receives nothing; when it resumes its data is as old as the pause.
  impairs: () => ['market-data', 'user-data', 'rest', 'db'],
  parse(raw) {
    onlyKeys('process-pause', raw, ['durationMs']);
    return { durationMs: msParam('process-pause', raw, 'durationMs', { min: 1 }) };
  },
  async inject(ctx, target) {
    const t = ctx.target(target.instance);
    t.signal('SIGSTOP');
    return healOnce(async () => {
      t.signal('SIGCONT');
    });
  },
};
