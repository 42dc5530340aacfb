/**
 * Entry point of the venue: a simulated Binance USD-M futures exchange in the harness process,
 * with one HTTP+WebSocket listener per account instance on a loopback address.
 */
import { isIP } from 'node:net';
import type { RequestHandler } from 'msw';
import { createBinanceUsdm } from './dialects/binance-usdm/index.ts';
import { directTable } from './dialects/binance-usdm/routes.ts';
import { rateLimitsFrom } from './dialects/binance-usdm/usage.ts';
import { VenueEngine } from './engine/engine.ts';
import { DEFAULT_FUNDING } from './engine/funding.ts';
import type { Order } from './engine/order.ts';
import { VenueEvents } from './events.ts';
import { type HttpDialect, type Listener, startListener } from './server.ts';
import type { StartedVenue, VenueOptions, VenueOrderInfo } from './types.ts';

export { DEFAULT_SYMBOLS } from './default-symbols.ts';
export { activeRequest, currentRequest, type RequestMeta } from './request-context.ts';
export type {
  FillPolicy,
  StartedVenue,
  SymbolConfig,
  VenueAccount,
  VenueEventMap,
  VenueEventType,
  VenueOptions,
  VenueOrderInfo,
  VenueRateLimits,
} from './types.ts';

const DEFAULT_PING_INTERVAL_MS = 180_000;

/** Loopback only: the venue holds test credentials and must never be reachable from outside. */
function assertLoopback(host: string): void {
  const loopback = host === 'localhost' || host === '::1' || (isIP(host) === 4 && host.startsWith('127.'));
  if (!loopback) throw new Error(`venue: host "${host}" is not a loopback address; use 127.0.0.1 (the venue must not be reachable from other machines)`);
}

function orderInfo(o: Order): VenueOrderInfo {
  return {
    orderId: o.orderId,
    clientOrderId: o.clientOrderId,
    symbol: o.symbol,
    side: o.side,
    type: o.type,
    origQty: o.origQty,
    executedQty: o.executedQty,
    status: o.status,
  };
}

export async function startVenue(opts: VenueOptions): Promise<StartedVenue> {
  const host = opts.host ?? '127.0.0.1';
  assertLoopback(host);
  if (opts.accounts.length === 0) throw new Error('venue: no accounts given; each bot instance needs one (instance, apiKey, apiSecret, balanceUsdt)');
  let offset = opts.serverTimeOffsetMs ?? 0;
  const engine = new VenueEngine({
    recorder: opts.recorder,
    symbols: opts.symbols,
    accounts: opts.accounts,
    leverage: opts.leverage ?? 20,
    now: () => Date.now() + offset,
    ...(opts.fillPolicy ? { fillPolicy: opts.fillPolicy } : {}),
    funding: { ...DEFAULT_FUNDING, ...opts.funding },
  });
  const events = new VenueEvents();
  // Order events for faults, straight from the engine (before any stream message or response).
  engine.listen({
    orderUpdate(account, u) {
      const order = orderInfo(u.order);
      if (u.execution === 'NEW') events.emit('order.accepted', { instance: account.instance, order });
      else if (u.execution === 'TRADE' && u.fill)
        events.emit('order.filled', {
          instance: account.instance,
          order,
          fill: { tradeId: u.fill.tradeId, qty: u.fill.qty, price: u.fill.price, maker: u.fill.maker },
        });
      else if (u.execution === 'CANCELED' || u.execution === 'EXPIRED')
        events.emit('order.cancelled', { instance: account.instance, order, status: u.execution });
    },
    accountUpdate() {},
  });
  const dialect = createBinanceUsdm(engine, opts.recorder, events, {
    pingIntervalMs: opts.wsPingIntervalMs ?? DEFAULT_PING_INTERVAL_MS,
    rateLimits: rateLimitsFrom(opts.rateLimits),
    syntheticTrades: opts.syntheticTrades ?? false,
  });

  // Fault handlers (use()) answer first, newest first; the venue's own handlers come last.
  let overrides: RequestHandler[] = [];
  let handlers = dialect.http.handlers;
  const direct = directTable(dialect.http.handlers);
  const http: HttpDialect = {
    get handlers() {
      return handlers;
    },
    direct: (method, pathname) => (overrides.length === 0 ? direct.get(`${method} ${pathname}`) : undefined),
    notFound: (meta) => dialect.http.notFound(meta),
    internalError: (meta) => dialect.http.internalError(meta),
    onUpgrade: (listener, req, socket, head) => dialect.http.onUpgrade(listener, req, socket, head),
  };

  const listeners = new Map<string, Listener>();
  try {
    for (const { instance } of opts.accounts) listeners.set(instance, await startListener(host, instance, http, opts.recorder, opts.ports?.[instance] ?? 0));
  } catch (err) {
    await Promise.all([...listeners.values()].map((l) => l.close()));
    engine.stop();
    await dialect.stop();
    throw err;
  }

  let stopping: Promise<void> | undefined;
  return {
    portFor(instance) {
      const l = listeners.get(instance);
      if (!l) throw new Error(`venue: no listener for instance "${instance}" (known: ${[...listeners.keys()].join(', ')})`);
      return l.port;
    },
    applyTick(symbol, top) {
      engine.applyTick(symbol, top);
      dialect.onTick(symbol, top);
    },
    setServerTimeOffset(ms) {
      offset = ms;
    },
    position: (instance, symbol) => engine.position(instance, symbol),
    stop() {
      stopping ??= (async () => {
        engine.stop();
        events.clear();
        await dialect.stop();
        await Promise.all([...listeners.values()].map((l) => l.close()));
      })();
      return stopping;
    },
    setFillPolicy: (policy) => engine.setFillPolicy(policy),
    use(...added) {
      overrides = [...added, ...overrides];
      handlers = [...overrides, ...dialect.http.handlers];
    },
    resetHandlers() {
      overrides = [];
      handlers = dialect.http.handlers;
    },
    onEvent: (type, fn) => events.on(type, fn),
    pauseMarketData(instance, paused) {
      if (!listeners.has(instance)) throw new Error(`venue: no instance "${instance}" to pause market data for`);
      dialect.pauseMarket(instance, paused);
    },
    expireListenKey: (instance) => dialect.expireListenKey(instance),
    marginCall: (instance) => dialect.marginCall(instance),
    backfill: (symbol, minutes) => dialect.backfill(symbol, minutes),
    closeConnections: (instance, kind, code, reason) => dialect.closeConnections(instance, kind, code, reason),
    dropDepthUpdates: (instance, count) => dialect.dropDepthUpdates(instance, count),
    tamperUserEvents: (instance, mode, count, maxHoldMs) => dialect.tamperUserEvents(instance, mode, count, maxHoldMs),
    refuseCancels(instance, refusal) {
      if (!listeners.has(instance)) throw new Error(`venue: no instance "${instance}" to refuse cancels for`);
      dialect.refuseCancels(instance, refusal);
    },
    corruptMarketData(instance, corruption) {
      if (!listeners.has(instance)) throw new Error(`venue: no instance "${instance}" to corrupt market data for`);
      dialect.corruptMarket(instance, corruption);
    },
  };
}
