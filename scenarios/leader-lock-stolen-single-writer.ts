import { defineScenario } from '../harness/core/scenario.ts';

/**
 * Two instances share one Redis leader lock. At 4 s the harness overwrites the lock key with a
 * foreign owner for 3 s (a failover that lost the key, an operator, a bug elsewhere). A bot that
 * renews with a blind PEXPIRE and never re-checks before trading goes on trading, and keeps the
 * foreign key alive while it does (002_3e6ca2bf6dfde12d.txt#R8); a hardened one sees its
 * compare-and-extend fail, stands by, and one instance takes the lock again once the key expires.
 */
export default defineScenario({
  id: 'leader-lock-stolen-single-writer',
  title: 'The leader lock is stolen from under its holder',
  description:
    'instances: 2 sharing Redis; redis-lock steal of refbot:leader:BTCUSDT at 4 s (value faultline-thief, ttl 3 s). ' +
    'Passes when no instance places an order while another owner (here the thief) holds the key, replayed from the Redis commands, ' +
    'except within 1 s of the steal (the holder learns of it at its next renewal).',
  findings: ['002_3e6ca2bf6dfde12d.txt#R8'],
  suites: ['nightly'],
  requires: ['rest-orders'],
  instances: 2,
  market: { symbol: 'BTCUSDT', startPrice: 60_000, tickMs: 250, volPerTick: 0.0003 },
  durationMs: 12_000,
  faults: [
    {
      kind: 'redis-lock',
      instance: 'bot-1',
      at: 4000,
      params: { key: 'refbot:leader:BTCUSDT', action: 'steal', value: 'faultline-thief', ttlMs: 3000 },
    },
  ],
  // A holder learns of a steal at its next renewal (ttl/3 = 500 ms): an order sent before may land after.
  checks: [{ name: 'single-writer', options: { key: 'refbot:leader:BTCUSDT', stealGraceMs: 1000 } }],
});
