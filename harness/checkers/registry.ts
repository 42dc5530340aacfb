import { ConfigError } from '../core/errors.ts';
import { alertsSurviveSinkOutage } from './alerts-survive-sink-outage.ts';
import { boundedResources } from './bounded-resources.ts';
import { breakerCountsIntents } from './breaker-counts-intents.ts';
import { budgetReleased } from './budget-released.ts';
import { cleanSigterm } from './clean-sigterm.ts';
import { clockSkewFailsClosed } from './clock-skew-fails-closed.ts';
import { configFailsFast } from './config-fails-fast.ts';
import { controlApiHardened } from './control-api-hardened.ts';
import { correctionsLogged } from './corrections-logged.ts';
import { crashConsistentState } from './crash-consistent-state.ts';
import { decisionCandleCurrent } from './decision-candle-current.ts';
import { noOrdersOnDegenerateData } from './degenerate-market-data.ts';
import { depthBookInSync } from './depth-book-in-sync.ts';
import { drawdownHaltAtThreshold } from './drawdown-halt-at-threshold.ts';
import { exitsReduceOnly } from './exits-reduce-only.ts';
import { exitsVerified } from './exits-verified.ts';
import { exposureWithinLimits } from './exposure-within-limits.ts';
import { failuresLogged } from './failures-logged.ts';
import { guardsFailClosed } from './guards-fail-closed.ts';
import { haltAlertsOperator } from './halt-alerts-operator.ts';
import { haltCancelsWorking } from './halt-cancels-working.ts';
import { haltGatesAllOrders } from './halt-gates-all-orders.ts';
import { haltNeedsConfirmation } from './halt-needs-confirmation.ts';
import { healthTellsTruth } from './health-tells-truth.ts';
import { historyGapsRefilled } from './history-gaps-refilled.ts';
import { leverageCapRespected } from './leverage-cap-respected.ts';
import { loopNeverStalls } from './loop-never-stalls.ts';
import { noProductionEgress } from './no-production-egress.ts';
import { noReconnectChurn } from './no-reconnect-churn.ts';
import { noSecretLeak } from './no-secret-leak.ts';
import { oneOrderPerIntent } from './one-order-per-intent.ts';
import { oneRecoveryAtATime } from './one-recovery-at-a-time.ts';
import { operatorControlWorks } from './operator-control-works.ts';
import { ordersNotStarved } from './orders-not-starved.ts';
import { ordersRespectFilters } from './orders-respect-filters.ts';
import { ordersWellFormed } from './orders-well-formed.ts';
import { outboundDiscipline } from './outbound-discipline.ts';
import { outputFailuresReported } from './output-failures-reported.ts';
import { ownOrdersOnly } from './own-orders-only.ts';
import { paginationFollowed } from './pagination-followed.ts';
import { pnlMatchesVenue } from './pnl-matches-venue.ts';
import { positionMatchesVenue } from './position-matches-venue.ts';
import { privateStateRefetched } from './private-state-refetched.ts';
import { singleWriter } from './single-writer.ts';
import { staleMarketData } from './stale-market-data.ts';
import { symbolsListed } from './symbols-listed.ts';
import type { Checker } from './types.ts';
import { watchdogTracksLoop } from './watchdog-tracks-loop.ts';

// One line per check, grouped by invariant family.
const all: Checker[] = [
  staleMarketData,
  decisionCandleCurrent,
  noReconnectChurn,
  noOrdersOnDegenerateData,
  ordersWellFormed,
  depthBookInSync,
  ordersRespectFilters,
  symbolsListed,
  privateStateRefetched,
  oneOrderPerIntent,
  positionMatchesVenue,
  pnlMatchesVenue,
  breakerCountsIntents,
  budgetReleased,
  paginationFollowed,
  exitsReduceOnly,
  exitsVerified,
  exposureWithinLimits,
  guardsFailClosed,
  leverageCapRespected,
  haltGatesAllOrders,
  haltCancelsWorking,
  haltAlertsOperator,
  haltNeedsConfirmation,
  drawdownHaltAtThreshold,
  loopNeverStalls,
  watchdogTracksLoop,
  healthTellsTruth,
  historyGapsRefilled,
  ordersNotStarved,
  outboundDiscipline,
  oneRecoveryAtATime,
  singleWriter,
  crashConsistentState,
  cleanSigterm,
  boundedResources,
  configFailsFast,
  noProductionEgress,
  ownOrdersOnly,
  controlApiHardened,
  operatorControlWorks,
  clockSkewFailsClosed,
  noSecretLeak,
  failuresLogged,
  outputFailuresReported,
  alertsSurviveSinkOutage,
  correctionsLogged,
];
const checkers = new Map<string, Checker>(all.map((c) => [c.name, c]));
if (checkers.size !== all.length) throw new Error('two checks share a name');

export function checker(name: string): Checker {
  const c = checkers.get(name);
  if (!c) throw new ConfigError(`unknown check "${name}"`, `known checks: ${[...checkers.keys()].join(', ')}`);
  return c;
}

export function allCheckers(): Checker[] {
  return [...checkers.values()];
}
