import { defineScenario } from '../harness/core/scenario.ts';

/**
 * The user-data link stalls for 14 s (socket open, no bytes) while market data keeps flowing. A bot
 * that judges its streams' liveness on aggregate traffic never notices the dead private stream and
 * keeps trading without fills or position updates
 * (003_a7371304fd1017c8.txt#stale-detection-is-based-on-aggregate-update-counts); a hardened one
 * pings its user connection, closes it when the pong does not come, stops opening risk, reconnects
 * and re-fetches positions and open orders first.
 *
 * Timing on refbot (LONG, FLAT, SHORT, FLAT, one step per second): the stall starts at 1.5 s, just
 * before the SHORT entry at 2 s, whose fill the bot then never hears of. Hardened pings its user
 * connection 5 s after the last message and closes it 2.5 s later unanswered (~7 s into the stall,
 * within silentReactionMs 9000), opens no risk while re-syncing is pending, and its reconnect waits
 * for the stall to end (healing it resets the link) at 15.5 s; then it re-syncs and trades. The
 * flawed bot, blind, waits out each unreported order (5 s in flight) and opens risk again by ~14 s.
 */
export default defineScenario({
  id: 'user-stream-stall-masked',
  title: 'The user-data stream stalls while market data flows',
  description:
    'From 1.5 s, for 14 s, no byte reaches the bot on its user-data link (link-stall user-ws; the socket stays open, the market stream is untouched). ' +
    'Passes when every risk-increasing order more than 9 s after the stall began comes after a new user-data connection and a GET of positions and ' +
    'of openOrders.',
  findings: ['003_a7371304fd1017c8.txt#stale-detection-is-based-on-aggregate-update-counts'],
  suites: ['nightly'],
  requires: ['ws-user', 'rest-orders'],
  instances: 1,
  market: { symbol: 'BTCUSDT', startPrice: 60_000, tickMs: 250, volPerTick: 0.0003 },
  durationMs: 22_000,
  faults: [{ kind: 'link-stall', link: 'user-ws', at: 1500, params: { durationMs: 14_000 } }],
  checks: [{ name: 'private-state-refetched', options: { openOrders: true, reactionMs: 250, silentReactionMs: 9000 } }],
});
