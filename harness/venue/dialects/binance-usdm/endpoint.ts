/**
 * The shared shape of every Binance REST endpoint: read params, count weight, authenticate per
 * security type, run, turn BinanceErrors into {"code","msg"} responses, and stamp usage headers
 * on whatever comes out (errors included, as Binance does).
 */

import type { Recorder } from '../../../history/types.ts';
import type { Account } from '../../engine/account.ts';
import type { VenueEngine } from '../../engine/engine.ts';
import type { MarketTape } from '../../engine/tape.ts';
import type { VenueEvents } from '../../events.ts';
import { currentRequest, type RequestMeta } from '../../request-context.ts';
import type { CancelRefusals } from './cancel-refusals.ts';
import { BinanceError } from './errors.ts';
import type { ListenKeys } from './listen-keys.ts';
import { type RequestParams, readParams } from './params.ts';
import type { VenueReply } from './reply.ts';
import type { DirectResolver, VenueRequest } from './routes.ts';
import { authenticate, type Security } from './signing.ts';
import type { UsageMeter } from './usage.ts';

/** Everything the Binance dialect's handlers share. */
export interface DialectContext {
  engine: VenueEngine;
  recorder: Recorder;
  usage: UsageMeter;
  listenKeys: ListenKeys;
  /** Per-symbol book update id (bookTicker `u`, REST `lastUpdateId`). */
  bookIds: Map<string, number>;
  /** Closes the user-data connections of a deleted listenKey. */
  closeUserStreams(listenKey: string): void;
  /** Venue events for faults (StartedVenue.onEvent). */
  events: VenueEvents;
  /** Per-symbol rolling statistics since the venue started (24hr ticker). */
  stats: Map<string, SymbolStats>;
  /** Public trades and candles (aggTrade, klines, 24hr volumes). */
  tape: MarketTape;
  /** Sends an event to the instance's user-data streams (e.g. ACCOUNT_CONFIG_UPDATE). */
  publishUser(instance: string, event: unknown): void;
  /** Cancels refused on a fault's behalf (StartedVenue.refuseCancels). */
  cancelRefusals: CancelRefusals;
}

/** What the 24hr ticker reports; the window is the venue's lifetime (runs are far shorter than 24 h). */
export interface SymbolStats {
  openTime: number;
  open: number;
  high: number;
  low: number;
  last: number;
  /** Ticker pushes are throttled to Binance's update speed; time of the last push. */
  lastPushAt: number;
}

export interface Call {
  request: VenueRequest;
  params: RequestParams;
  meta: RequestMeta;
  /** Set for USER_STREAM and SIGNED endpoints. */
  account: Account | undefined;
  /** Extra response headers (e.g. order counts); applied to success and error responses alike. */
  headers: Record<string, string>;
}

export interface EndpointSpec {
  security: Security;
  weight: number | ((p: RequestParams) => number);
}

/** The account of a call on an authenticated endpoint; a missing one is a wiring bug. */
export function accountOf(call: Call): Account {
  if (!call.account) throw new Error(`venue: ${call.request.method} ${new URL(call.request.url).pathname} needs an account but is not authenticated`);
  return call.account;
}

export function endpoint(ctx: DialectContext, spec: EndpointSpec, run: (call: Call) => VenueReply | Promise<VenueReply>): DirectResolver {
  return async ({ request }) => {
    const meta = currentRequest();
    const params = await readParams(request);
    const weight = typeof spec.weight === 'number' ? spec.weight : spec.weight(params);
    // Weight is counted per IP (Binance: "The limits on the API are based on the IPs").
    const { used, refusal } = ctx.usage.admit(meta.remoteIp, weight, ctx.engine.now());
    const call: Call = { request, params, meta, account: undefined, headers: { 'X-MBX-USED-WEIGHT-1M': String(used) } };
    let response: VenueReply;
    try {
      if (refusal) throw refusal;
      call.account = authenticate({
        apiKey: request.headers.get('x-mbx-apikey'),
        params,
        security: spec.security,
        serverTime: ctx.engine.now(),
        remoteIp: meta.remoteIp,
        lookup: (key) => ctx.engine.accountByKey(key),
      });
      // A key of another instance is that account: the request is recorded under its owner.
      if (call.account) meta.instance = call.account.instance;
      response = await run(call);
    } catch (err) {
      if (!(err instanceof BinanceError)) throw err;
      response = err.response();
    }
    return { ...response, headers: { ...response.headers, ...call.headers } };
  };
}
