import { defineScenario } from '../harness/core/scenario.ts';

/**
 * The venue fails the inputs of the bot's loss guards: the realized-PnL history that seeds the
 * daily-loss tracker at start-up (GET /fapi/v1/income, 503 from 2 s for 6 s, across a SIGTERM +
 * restart at 3 s so that the new process seeds while it fails) and the equity source of the
 * drawdown check (GET /fapi/v2/balance, 503 from 10.5 s for 3.5 s). A guard that cannot read its
 * input must fail closed: no new risk until it is read again
 * (003_a7371304fd1017c8.txt#daily-loss-seeding-can-fail-open-get-closed: the failed fetch is
 * swallowed into [] and taken for a seed; 003_a7371304fd1017c8.txt#check-max-drawdown-treats-exceptions-as-non-fatal:
 * the failure is a warning and trading continues; 000_2ae31cbfe79758d1.txt#E-M13: the fill handler
 * stops at the first guard refresh that throws, so the other guards never run while fills arrive).
 *
 * Timing on refbot (LONG, FLAT, SHORT, FLAT, one step per second; each risk-increasing step reads
 * the balance first, the first one after start also the income): the restarted process is ready at
 * ~4.5 s, so its seed meets the income outage; hardened trades again once both inputs answer
 * (~8-10 s) and between the outages.
 */
export default defineScenario({
  id: 'risk-guard-inputs-fail-closed',
  title: 'The inputs of the loss guards (realized PnL, balance) answer 503 for a while',
  description:
    'GET /fapi/v1/income answers 503 from 2 s for 6 s, and the bot is stopped (SIGTERM) at 3 s and restarted 0.3 s later, so that it ' +
    'seeds its daily-loss guard during the outage; GET /fapi/v2/balance answers 503 from 10.5 s for 3.5 s (rest-error). Passes when no ' +
    'risk-increasing order of the bot reaches the venue between a failed read of a guard input and the next successful read of it.',
  findings: [
    '003_a7371304fd1017c8.txt#daily-loss-seeding-can-fail-open-get-closed',
    '003_a7371304fd1017c8.txt#check-max-drawdown-treats-exceptions-as-non-fatal',
    '000_2ae31cbfe79758d1.txt#E-M13',
  ],
  suites: ['nightly'],
  requires: ['rest-orders', 'probes'],
  instances: 1,
  market: { symbol: 'BTCUSDT', startPrice: 60_000, tickMs: 250, volPerTick: 0.0003 },
  durationMs: 17_000,
  faults: [
    { kind: 'rest-error', at: 2000, params: { durationMs: 6000, method: 'GET', path: '/fapi/v1/income', status: 503 } },
    { kind: 'process-kill', at: 3000, params: { signal: 'SIGTERM', restartAfterMs: 300 } },
    { kind: 'rest-error', at: 10_500, params: { durationMs: 3500, method: 'GET', path: '/fapi/v2/balance', status: 503 } },
  ],
  checks: [{ name: 'guards-fail-closed' }],
});
