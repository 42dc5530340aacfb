import { defineScenario } from '../harness/core/scenario.ts';

/**
 * A monitor asks the bot's health endpoint every 150 ms; 300 ms after the bot's 3rd accepted order
 * (a position is open, so the stop has work to do) it is asked to stop (SIGTERM, as systemd,
 * Kubernetes or docker stop would), while the venue answers every request 700 ms late, so the
 * shutdown's cleanup (closing the position, deleting the listenKey) takes a while. From then on it must stop calling itself healthy,
 * so load balancers and monitors drain it and nobody counts a process on its way out as alive. A
 * heartbeat thread that is never stopped nor joined goes on signalling "alive" through the shutdown
 * (004_8a8a9a4995486b8f.txt#C-SERV-05: heartbeat thread not tracked; errors during shutdown).
 */
export default defineScenario({
  id: 'sigterm-health-drains',
  title: 'SIGTERM: the health endpoint stops saying healthy',
  description:
    'health-probe GET /health (the control file’s URL and token) every 150 ms for the whole window; process-signal SIGTERM with a 3000 ms grace, ' +
    '300 ms after the bot’s 3rd accepted order; rest-slow (700 ms, every endpoint) from 250 ms after that order for 4 s. Passes when no request sent from 200 ms after the signal until the bot exits is answered 2xx ' +
    '(no answer counts as unhealthy).',
  findings: ['004_8a8a9a4995486b8f.txt#C-SERV-05'],
  suites: ['nightly'],
  requires: ['control-api'],
  instances: 1,
  market: { symbol: 'BTCUSDT', startPrice: 60_000, tickMs: 250, volPerTick: 0.0003 },
  durationMs: 8000,
  faults: [
    { kind: 'health-probe', at: 0, params: { durationMs: 8000, file: 'refbot-control.json', intervalMs: 150, timeoutMs: 500 } },
    { kind: 'rest-slow', on: { event: 'order.accepted', nth: 3, delayMs: 250 }, params: { durationMs: 4000, delayMs: 700 } },
    { kind: 'process-signal', on: { event: 'order.accepted', nth: 3, delayMs: 300 }, params: { signal: 'SIGTERM', graceMs: 3000 } },
  ],
  checks: [{ name: 'health-tells-truth', options: { stopDetectMs: 200 } }],
});
