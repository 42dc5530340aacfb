/**
 * Binance USD-M error codes and messages, worded as the venue words them (developers.binance.com
 * "usds-margined-futures/error-code"), so a bot's error handling sees what it would see live.
 */
import { jsonReply, type VenueReply } from './reply.ts';

/** A request the venue refuses: HTTP status plus Binance's {"code","msg"} body. */
export class BinanceError extends Error {
  readonly status: number;
  readonly code: number;

  constructor(status: number, code: number, msg: string) {
    super(msg);
    this.status = status;
    this.code = code;
  }

  response(): VenueReply {
    return jsonReply({ code: this.code, msg: this.message }, { status: this.status });
  }
}

const bad = (code: number, msg: string) => new BinanceError(400, code, msg);

export const errors = {
  unknown: () => new BinanceError(500, -1000, 'An unknown error occured while processing the request.'),
  // Authentication: Binance answers key problems with HTTP 401.
  apiKeyFormat: () => new BinanceError(401, -2014, 'API-key format invalid.'),
  rejectedApiKey: (ip: string) => new BinanceError(401, -2015, `Invalid API-key, IP, or permissions for action, request ip: ${ip}`),
  badSignature: () => bad(-1022, 'Signature for this request is not valid.'),
  outsideRecvWindow: () => bad(-1021, 'Timestamp for this request is outside of the recvWindow.'),
  aheadOfServer: () => bad(-1021, "Timestamp for this request was 1000ms ahead of the server's time."),
  unsupported: () => bad(-1020, 'This operation is not supported.'),
  startAfterEnd: () => bad(-1023, 'Start time is greater than end time.'),
  // Request shape.
  illegalChars: (name: string, range: string) => bad(-1100, `Illegal characters found in parameter '${name}'; legal range is '${range}'.`),
  mandatory: (name: string) => bad(-1102, `Mandatory parameter '${name}' was not sent, was empty/null, or malformed.`),
  mandatoryEither: (a: string, b: string) => bad(-1102, `Param '${a}' or '${b}' must be sent, but both were empty/null!`),
  notRequired: (name: string) => bad(-1106, `Parameter '${name}' sent when not required.`),
  badCombination: () => bad(-1128, 'Combination of optional parameters invalid.'),
  invalidParam: (name: string) => bad(-1130, `Data sent for parameter '${name}' is not valid.`),
  badPrecision: () => bad(-1111, 'Precision is over the maximum defined for this asset.'),
  noDepth: () => bad(-1112, 'No orders on book for symbol.'),
  invalidInterval: () => bad(-1120, 'Invalid interval.'),
  invalidTif: () => bad(-1115, 'Invalid timeInForce.'),
  invalidOrderType: () => bad(-1116, 'Invalid orderType.'),
  invalidSide: () => bad(-1117, 'Invalid side.'),
  invalidSymbol: () => bad(-1121, 'Invalid symbol.'),
  listenKeyMissing: () => bad(-1125, 'This listenKey does not exist.'),
  invalidRespType: () => bad(-1136, 'Invalid newOrderRespType.'),
  // Processing.
  cancelRejected: () => bad(-2011, 'Unknown order sent.'),
  noSuchOrder: () => bad(-2013, 'Order does not exist.'),
  marginInsufficient: () => bad(-2019, 'Margin is insufficient.'),
  wouldTrigger: () => bad(-2021, 'Order would immediately trigger.'),
  reduceOnlyRejected: () => bad(-2022, 'ReduceOnly Order is rejected.'),
  overLeverageCap: () => bad(-2027, 'Exceeded the maximum allowable position at current leverage.'),
  // Filters.
  priceLessThanZero: () => bad(-4001, 'Price less than 0.'),
  priceAboveMax: () => bad(-4002, 'Price greater than max price.'),
  qtyNotPositive: () => bad(-4003, 'Quantity less than or equal to zero.'),
  qtyBelowMin: () => bad(-4004, 'Quantity less than min quantity.'),
  qtyAboveMax: () => bad(-4005, 'Quantity greater than max quantity.'),
  priceBelowMin: () => bad(-4013, 'Price less than min price.'),
  priceNotTick: () => bad(-4014, 'Price not increased by tick size.'),
  clientIdTooLong: () => bad(-4015, 'Client order id length should not be more than 36 chars'),
  priceAboveCap: (cap: string) => bad(-4016, `Limit price can't be higher than ${cap}.`),
  qtyNotStep: () => bad(-4023, 'Qty not increased by step size.'),
  priceBelowFloor: (floor: string) => bad(-4024, `Limit price can't be lower than ${floor}.`),
  positionSideMismatch: () => bad(-4061, "Order's position side does not match user's setting."),
  duplicateClientId: () => bad(-4116, 'clientOrderId is duplicated'),
  useAlgoEndpoint: () => bad(-4120, 'Order type not supported for this endpoint. Please use the Algo Order API endpoints instead.'),
  minNotional: (min: string) => bad(-4164, `Order's notional must be no smaller than ${min} (unless you choose reduce only).`),
  fokRejected: () => bad(-5021, 'Due to the order could not be filled immediately, the FOK order has been rejected.'),
  gtxRejected: () => bad(-5022, 'Due to the order could not be executed as maker, the Post Only order will be rejected.'),
};
