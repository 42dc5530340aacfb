import { defineScenario } from '../harness/core/scenario.ts';

/**
 * The venue's clock falls 5 s behind for 10 s: the bot's correctly taken timestamps now look 5 s
 * ahead and its signed requests meet -1021 ("1000ms ahead of the server's time"). A bot whose
 * server-time sync raises on such a drift and then swallows the error, resetting its offset to 0,
 * keeps signing with a known-bad clock (003_a7371304fd1017c8.txt#sync-server-time-raises-on-critical-ahead-of);
 * a hardened one fails closed: no new risk until a later sync finds the clocks within bounds.
 */
// The skew lasts 10 s and at most 2 rejections are allowed: the flaw alone (one order attempt per
// 2 s of refbot's cycle) meets about 5, hardened 1. With 6 s and 3 allowed, the mutation matrix
// found the flaw alone slipping under the bound (3 rejections): too close to tell apart.
export default defineScenario({
  id: 'venue-clock-skew-fails-closed',
  title: 'The venue’s clock falls 5 s behind the bot’s',
  description:
    'venue-clock-skew of -5000 ms for 10 s: every signed request the bot makes with its old offset meets -1021. ' +
    'Passes when, once the venue has told the bot (a -1021 or a server-time answer), no risk-increasing order of the bot is accepted ' +
    'until the skew ends, and at most 2 of its signed requests meet -1021 during it.',
  findings: ['003_a7371304fd1017c8.txt#sync-server-time-raises-on-critical-ahead-of'],
  suites: ['smoke', 'nightly'],
  requires: ['rest-orders'],
  instances: 1,
  market: { symbol: 'BTCUSDT', startPrice: 60_000, tickMs: 250, volPerTick: 0.0003 },
  durationMs: 18_000,
  faults: [{ kind: 'venue-clock-skew', at: 3000, params: { offsetMs: -5000, durationMs: 10_000 } }],
  checks: [{ name: 'clock-skew-fails-closed', options: { maxSkewMs: 1000, maxRejected: 2 } }],
});
