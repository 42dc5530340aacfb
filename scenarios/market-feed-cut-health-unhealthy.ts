import { defineScenario } from '../harness/core/scenario.ts';

/**
 * A monitor asks the bot's health endpoint every 200 ms while the market WebSocket is cut for 3 s.
 * A health endpoint that only says "the process is up" calls a bot that cannot see the market
 * healthy, and every load balancer, Kubernetes probe and uptime check believes it
 * (002_3e6ca2bf6dfde12d.txt#P3-3: no /health endpoint for liveness checks, no heartbeat, no
 * staleness monitoring). An honest one turns unhealthy once its prices are too old to trade on,
 * healthy again once they are fresh, and raises no alarm in between.
 */
export default defineScenario({
  id: 'market-feed-cut-health-unhealthy',
  title: 'The market feed is cut: the health endpoint says so',
  description:
    'health-probe GET /health (the control file’s URL and token) every 200 ms for the whole window; ws-disconnect of the market stream at 3 s for 3 s. ' +
    'Passes when no request sent from 1.5 s into the cut until its end is answered 2xx, the endpoint is healthy again within 3 s of the heal (a reconnect with backoff), ' +
    'and once healthy it answers no non-2xx while nothing is cut.',
  findings: ['002_3e6ca2bf6dfde12d.txt#P3-3'],
  suites: ['nightly'],
  requires: ['control-api', 'ws-market'],
  instances: 1,
  market: { symbol: 'BTCUSDT', startPrice: 60_000, tickMs: 250, volPerTick: 0.0003 },
  durationMs: 10_000,
  faults: [
    { kind: 'health-probe', at: 0, params: { durationMs: 10_000, file: 'refbot-control.json', intervalMs: 200, timeoutMs: 500 } },
    { kind: 'ws-disconnect', link: 'market-ws', at: 3000, params: { durationMs: 3000 } },
  ],
  checks: [{ name: 'health-tells-truth', options: { detectMs: 1500, recoverMs: 3000 } }],
});
