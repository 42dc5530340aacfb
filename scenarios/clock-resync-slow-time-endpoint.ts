import { defineScenario } from '../harness/core/scenario.ts';

/**
 * The venue's clock falls 5 s behind (the bot's signed requests meet -1021 and it must re-sync) while
 * the server-time endpoint it re-syncs from answers 3 s late. The audited resync made its HTTP call
 * inside the adapter's lock (004_8a8a9a4995486b8f.txt#C-ADAPTER-02: "time resync inside lock may
 * make HTTP call"): on a slow time endpoint everything that needs the lock waits, the loop stalls and
 * orders queue behind a resync. A hardened bot keeps its loop running (the resync is awaited off the
 * hot path, with a timeout) and still fails closed on the skew: no risk-increasing order is signed
 * with a clock the venue has just refused.
 */
export default defineScenario({
  id: 'clock-resync-slow-time-endpoint',
  title: 'Clock resync while the server-time endpoint is slow',
  description:
    'venue-clock-skew of -5000 ms for 10 s from 3 s; GET /fapi/v1/time answers 3 s late from 2.5 s for 11 s (rest-slow). ' +
    'Passes when no gap between two heartbeat probes exceeds 1000 ms, and once the venue has told the bot its clock is off no ' +
    'risk-increasing order of it is accepted until the skew ends, with at most 2 of its signed requests meeting -1021.',
  findings: ['004_8a8a9a4995486b8f.txt#C-ADAPTER-02'],
  suites: ['nightly'],
  requires: ['rest-orders', 'probes'],
  instances: 1,
  market: { symbol: 'BTCUSDT', startPrice: 60_000, tickMs: 250, volPerTick: 0.0003 },
  durationMs: 18_000,
  faults: [
    { kind: 'rest-slow', at: 2500, params: { durationMs: 11_000, delayMs: 3000, method: 'GET', path: '/fapi/v1/time' } },
    { kind: 'venue-clock-skew', at: 3000, params: { offsetMs: -5000, durationMs: 10_000 } },
  ],
  checks: [
    { name: 'loop-never-stalls', options: { maxGapMs: 1000 } },
    { name: 'clock-skew-fails-closed', options: { maxSkewMs: 1000, maxRejected: 2 } },
  ],
});
