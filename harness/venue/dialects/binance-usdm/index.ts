/**
 * The Binance USD-M futures dialect: REST handlers (msw), WebSocket hub, user-stream publisher,
 * all over a dialect-free VenueEngine.
 */

import type { Recorder } from '../../../history/types.ts';
import type { BookTop } from '../../../market/price-path.ts';
import type { VenueEngine } from '../../engine/engine.ts';
import { type HistoricMinute, MarketTape } from '../../engine/tape.ts';
import type { VenueEvents } from '../../events.ts';
import type { HttpDialect } from '../../server.ts';
import { AlgoOrders } from './algo-orders.ts';
import { type CancelRefusal, CancelRefusals } from './cancel-refusals.ts';
import type { DialectContext } from './endpoint.ts';
import { errors } from './errors.ts';
import { ListenKeys } from './listen-keys.ts';
import { emptyReply } from './reply.ts';
import { accountHandlers } from './rest-account.ts';
import { batchHandlers } from './rest-batch.ts';
import { incomeHandlers } from './rest-income.ts';
import { marketHandlers } from './rest-market.ts';
import { orderHandlers } from './rest-orders.ts';
import { settingsHandlers } from './rest-settings.ts';
import { userStreamHandlers } from './rest-user-stream.ts';
import { type RateLimits, UsageMeter } from './usage.ts';
import type { MarketCorruption } from './ws-corrupt.ts';
import { DepthStreams } from './ws-depth.ts';
import { WsHub } from './ws-hub.ts';
import { handleClientMessage, pushBookTicker, pushTicker } from './ws-market.ts';
import { TapeStreams } from './ws-streams.ts';
import { UserStreams } from './ws-user.ts';

export interface BinanceUsdm {
  http: HttpDialect;
  /** After the engine applied a tick: push bookTicker and ticker to subscribers, announce lapsed listen keys. */
  onTick(symbol: string, top: BookTop): void;
  pauseMarket(instance: string, paused: boolean): void;
  expireListenKey(instance: string): string | undefined;
  /** MARGIN_CALL for the instance's open positions; false when it has none. */
  marginCall(instance: string): boolean;
  backfill(symbol: string, minutes: readonly HistoricMinute[]): void;
  closeConnections(instance: string, kind: 'market' | 'user', code: number, reason: string): number;
  dropDepthUpdates(instance: string, count: number): void;
  tamperUserEvents(instance: string, mode: 'duplicate' | 'reorder', count: number, maxHoldMs?: number): void;
  corruptMarket(instance: string, c: MarketCorruption | undefined): void;
  refuseCancels(instance: string, refusal: CancelRefusal | undefined): void;
  stop(): Promise<void>;
}

export interface DialectOptions {
  /** Interval of server-sent WebSocket pings. */
  pingIntervalMs: number;
  rateLimits: RateLimits;
  /** One synthetic market print per tick on the tape (VenueOptions.syntheticTrades). */
  syntheticTrades: boolean;
}

export function createBinanceUsdm(engine: VenueEngine, recorder: Recorder, events: VenueEvents, opts: DialectOptions): BinanceUsdm {
  let hub: WsHub | undefined;
  let users: UserStreams | undefined;
  const ctx: DialectContext = {
    engine,
    recorder,
    usage: new UsageMeter(opts.rateLimits),
    listenKeys: new ListenKeys(),
    bookIds: new Map(),
    closeUserStreams: (key) => hub?.closeUserStreams(key),
    events,
    stats: new Map(),
    tape: new MarketTape(),
    publishUser: (instance, event) => users?.publish(instance, event),
    cancelRefusals: new CancelRefusals(),
  };
  const wsHub = new WsHub(ctx, opts.pingIntervalMs);
  hub = wsHub;
  wsHub.onMessage((conn, text) => handleClientMessage(ctx, wsHub, conn, text));
  const tapeStreams = new TapeStreams(ctx, wsHub, opts.syntheticTrades);
  // The tape first: a fill is public before the account's own events go out.
  engine.listen({
    orderUpdate: (_account, u) => {
      if (u.execution === 'TRADE' && u.fill) tapeStreams.onFill(u.order, u.fill, u.time);
    },
    accountUpdate: () => {},
  });
  const userStreams = new UserStreams(ctx, wsHub);
  users = userStreams;
  engine.listen(userStreams.listener());

  const algo = new AlgoOrders(ctx);
  // msw tries handlers in order: the order endpoints (the hot path) first.
  const handlers = [
    ...orderHandlers(ctx),
    ...batchHandlers(ctx),
    ...marketHandlers(ctx),
    ...accountHandlers(ctx),
    ...settingsHandlers(ctx),
    ...incomeHandlers(ctx),
    ...algo.handlers(),
    ...userStreamHandlers(ctx),
  ];
  const depth = new DepthStreams();
  return {
    http: {
      handlers,
      // Unknown paths get a bare 404, as on Binance.
      notFound: () => emptyReply(404),
      internalError: () => errors.unknown().response(),
      onUpgrade: (listener, req, socket, head) => wsHub.handleUpgrade(listener, req, socket, head),
    },
    onTick: (symbol, top) => {
      algo.onTick(symbol, top);
      pushBookTicker(ctx, wsHub, symbol, top);
      depth.push(ctx, wsHub, symbol, top);
      pushTicker(ctx, wsHub, symbol, top);
      tapeStreams.onTick(symbol, top);
      userStreams.sweep();
    },
    pauseMarket: (instance, paused) => wsHub.pauseMarket(instance, paused),
    dropDepthUpdates: (instance, count) => depth.dropNext(instance, count),
    expireListenKey: (instance) => userStreams.expire(instance),
    marginCall: (instance) => userStreams.marginCall(instance) !== undefined,
    backfill: (symbol, minutes) => ctx.tape.backfill(symbol, minutes),
    closeConnections: (instance, kind, code, reason) => wsHub.closeConnections(instance, kind, code, reason),
    tamperUserEvents: (instance, mode, count, maxHoldMs) => userStreams.tamper(instance, mode, count, maxHoldMs),
    corruptMarket: (instance, c) => wsHub.corruptMarket(instance, c),
    refuseCancels: (instance, refusal) => ctx.cancelRefusals.set(instance, refusal),
    stop: () => {
      userStreams.stop();
      return wsHub.stop();
    },
  };
}
