import type { OrderNewData } from '../history/types.ts';
import { unknown } from './compose.ts';
import type { RejectData } from './orders-respect-filters.ts';
import { increasesRisk } from './position.ts';
import type { Checker, CheckResult, Violation } from './types.ts';

const RISK_MANAGER = '003_a7371304fd1017c8.txt#application-builds-riskmanager-without-passing-exchange-manager';

/** Binance USD-M's code for an order over the notional cap of the account's leverage bracket. */
export const LEVERAGE_CAP_CODE = -2027;

/**
 * The bot sizes risk from the venue's leverage tiers: no order of it is refused -2027 ("Exceeded
 * the maximum allowable position at current leverage").
 *
 * The venue refuses an order that would take the position, with the account's working orders on
 * that side, past the notional cap of the symbol's brackets at the account's leverage (GET
 * /fapi/v1/leverageBracket, positionRisk maxNotionalValue; harness/venue/dialects/binance-usdm/bracket-limit.ts)
 * and records it as `venue order.reject` {code: -2027}. A bot whose risk checks read those tiers
 * sizes under the cap, or refuses; one whose risk manager was built without its exchange handle
 * runs the helpers on silent defaults and meets the cap. Encodes
 * 003_a7371304fd1017c8.txt#application-builds-riskmanager-without-passing-exchange-manager
 * ("RiskManager is built without the exchange manager, disabling exchange-backed risk helpers";
 * acceptance: with a symbol whose leverage tiers matter, risk checks use venue data or refuse).
 * Evidence per violation: the order.reject. The half "or refuse" when the tiers cannot be read is
 * guards-fail-closed with the leverageBracket path among its inputs.
 *
 * Unknown when the bot had no risk-increasing order accepted and none refused for the cap: it never
 * sized a position the tiers could bind. A pass is only as strong as the scenario's market: run it
 * on a symbol whose cap binds at the bot's size (TIERUSDT: 500 USDT at 20x).
 */
export const leverageCapRespected: Checker = {
  name: 'leverage-cap-respected',
  description: 'No order of the bot is refused for exceeding the notional cap of its leverage bracket (-2027): risk is sized from the venue’s tiers',
  findings: [RISK_MANAGER],
  requires: ['rest-orders'],
  check(history): CheckResult {
    const violations: Violation[] = [];
    const stats = { riskOrders: 0, exits: 0, capRefusals: 0, otherRefusals: 0 };
    for (const e of history) {
      if (e.src !== 'venue' || e.instance === undefined) continue;
      if (e.type === 'order.new') {
        const o = e.data as unknown as OrderNewData;
        if (increasesRisk(Number(o.positionBefore), o.side, Number(o.qty), o.reduceOnly)) stats.riskOrders++;
        else stats.exits++;
        continue;
      }
      if (e.type !== 'order.reject') continue;
      const d = e.data as RejectData;
      if (Number(d.code) !== LEVERAGE_CAP_CODE) {
        stats.otherRefusals++;
        continue;
      }
      // 003_a7371304fd1017c8.txt#application-builds-riskmanager-without-passing-exchange-manager: the
      // order was sized past what the venue's tiers allow at the account's leverage.
      stats.capRefusals++;
      const what = [d.side, d.type, d.qty, d.symbol].filter((x) => x !== undefined).join(' ');
      violations.push({
        t: e.t,
        instance: e.instance,
        message:
          `${e.instance} sent ${what}${d.price !== undefined && d.price !== '0' ? ` @ ${d.price}` : ''}, refused ${d.code} ("${d.msg ?? ''}"): ` +
          'a position beyond the notional cap of its leverage bracket; its risk check did not size from the venue’s tiers',
        evidence: [e.seq],
      });
    }
    if (violations.length > 0) return { valid: false, violations, notes: [], stats };
    if (stats.riskOrders === 0) return unknown('no risk-increasing order: the bot never sized a position the leverage tiers could bind', stats);
    return { valid: true, violations: [], notes: [`${stats.riskOrders} risk-increasing order(s) accepted, none refused for the leverage cap`], stats };
  },
};
