import { defineScenario } from '../harness/core/scenario.ts';

/**
 * For 4 s the venue rejects every order of the bot with -1111 "Precision is over the maximum
 * defined for this asset." (HTTP 400, not executed): a permanent error, the same request meets it
 * again. An order router that treats all errors alike re-sends it anyway
 * (004_8a8a9a4995486b8f.txt#H-SERV-01: "Wastes retries on permanent errors"); a hardened one ends
 * the intent and trades on at its next tick.
 */
export default defineScenario({
  id: 'rest-permanent-error-no-retry',
  title: 'The venue rejects orders with a permanent error',
  description:
    'rest-error on POST /fapi/v1/order for 4 s at 3 s: HTTP 400 -1111 (precision), without executing. ' +
    'Passes when no request identical to a permanently rejected one (same method, path and parameters but timestamp and signature) reaches the venue within 10 s.',
  findings: ['004_8a8a9a4995486b8f.txt#H-SERV-01'],
  suites: ['nightly'],
  requires: ['rest-orders'],
  instances: 1,
  market: { symbol: 'BTCUSDT', startPrice: 60_000, tickMs: 250, volPerTick: 0.0003 },
  durationMs: 10_000,
  faults: [
    {
      kind: 'rest-error',
      at: 3000,
      params: {
        durationMs: 4000,
        method: 'POST',
        path: '/fapi/v1/order',
        status: 400,
        code: -1111,
        msg: 'Precision is over the maximum defined for this asset.',
      },
    },
  ],
  checks: [{ name: 'outbound-discipline', options: { rules: ['permanent-errors'], permanentWindowMs: 10_000 } }],
});
