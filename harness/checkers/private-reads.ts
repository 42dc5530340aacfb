/** What counts, in the venue's `http.request` events, as a bot reading its private state back. */

/** GETs that return the account's positions (Binance USD-M positionRisk and account, v2 and v3). */
export const POSITION_PATHS: ReadonlySet<string> = new Set(['/fapi/v2/positionRisk', '/fapi/v3/positionRisk', '/fapi/v2/account', '/fapi/v3/account']);
/** The GET that returns the account's open orders. */
export const OPEN_ORDERS_PATH = '/fapi/v1/openOrders';
