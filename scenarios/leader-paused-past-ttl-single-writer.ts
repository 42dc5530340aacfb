import { defineScenario } from '../harness/core/scenario.ts';

/**
 * Two instances share one Redis leader lock; only its holder may trade. Whichever leads is frozen
 * (SIGSTOP) on its 3rd accepted order for 3.5 s, past the lock's TTL, so the standby takes the
 * lock and trades; then the same happens the other way round. A bot that treats leadership as a
 * flag set once (blind renewal, no lease check before an order) resumes and trades beside the
 * new leader (002_3e6ca2bf6dfde12d.txt#R8); a hardened one finds its lease expired, sees the key
 * taken and stands by.
 */
export default defineScenario({
  id: 'leader-paused-past-ttl-single-writer',
  title: 'The lock holder is paused past its TTL while a standby waits',
  description:
    'instances: 2 sharing Redis; process-pause of 3.5 s on each instance at its 3rd accepted order (the leader goes first). ' +
    'Passes when no instance places an order while the other (or a foreign owner) holds refbot:leader:BTCUSDT, replayed from the Redis commands.',
  findings: ['002_3e6ca2bf6dfde12d.txt#R8'],
  suites: ['nightly'],
  requires: ['rest-orders'],
  instances: 2,
  market: { symbol: 'BTCUSDT', startPrice: 60_000, tickMs: 250, volPerTick: 0.0003 },
  durationMs: 16_000,
  faults: [
    { kind: 'process-pause', instance: 'bot-1', on: { event: 'order.accepted', nth: 3 }, params: { durationMs: 3500 } },
    { kind: 'process-pause', instance: 'bot-2', on: { event: 'order.accepted', nth: 3 }, params: { durationMs: 3500 } },
  ],
  checks: [{ name: 'single-writer', options: { key: 'refbot:leader:BTCUSDT' } }],
});
