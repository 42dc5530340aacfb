import { defineScenario } from '../harness/core/scenario.ts';

/**
 * One order stays working for 9.5 s: armed by the bot's 2nd accepted order, the next one (refbot's
 * SHORT entry) fills half at once and the rest 9.5 s later. A bot that stops counting it after its
 * in-flight wait and checks only its current position against the limit
 * (003_a7371304fd1017c8.txt#pre-trade-safety-path-calls-safetychecks-run-all, 002_3e6ca2bf6dfde12d.txt#R3)
 * opens the next short on top of the rest still pending; a hardened one counts position + pending +
 * the new order and keeps waiting while the venue says the order works.
 */
export default defineScenario({
  id: 'slow-fill-exposure-limit',
  title: 'An entry order stays half-filled for 9.5 s',
  description:
    'Armed by the bot’s 2nd accepted order, for 1.5 s new orders fill in 2 slices 9.5 s apart (partial-fills), so one entry stays half-filled and working. ' +
    'Passes when no risk-increasing order, valued at the market mid, is above 1500 USD or takes position + pending same-side orders + itself above 1100 USD (refbot: maxNotionalUsd 1000, maxExposureUsd 1000).',
  findings: ['003_a7371304fd1017c8.txt#pre-trade-safety-path-calls-safetychecks-run-all', '002_3e6ca2bf6dfde12d.txt#R3'],
  suites: ['nightly'],
  requires: ['rest-orders'],
  instances: 1,
  market: { symbol: 'BTCUSDT', startPrice: 60_000, tickMs: 250, volPerTick: 0.0003 },
  durationMs: 14_000,
  faults: [{ kind: 'partial-fills', on: { event: 'order.accepted', nth: 2 }, params: { slices: 2, intervalMs: 9500, durationMs: 1500 } }],
  // The bot's own limit at its sizing target (refbot's default is 3x, so that sizing bugs stay visible to their own checks).
  startup: { env: { REFBOT_MAX_EXPOSURE_USD: '1000' }, decideMs: 20_000 },
  checks: [{ name: 'exposure-within-limits', options: { maxOrderNotionalUsd: 1500, maxExposureNotionalUsd: 1100 } }],
});
