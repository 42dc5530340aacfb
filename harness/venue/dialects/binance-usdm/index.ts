/**
 * The Binance USD-M futures dialect: REST handlers (msw), WebSocket hub, user-stream publisher,
 * all over a dialect-free VenueEngine.
 */
import { HttpResponse } from 'msw';
import type { Recorder } from '../../../history/types.ts';
import type { BookTop } from '../../../market/price-path.ts';
import type { VenueEngine } from '../../engine/engine.ts';
import type { HttpDialect } from '../../server.ts';
import type { DialectContext } from './endpoint.ts';
import { errors } from './errors.ts';
import { ListenKeys } from './listen-keys.ts';
import { accountHandlers } from './rest-account.ts';
import { marketHandlers } from './rest-market.ts';
import { orderHandlers } from './rest-orders.ts';
import { userStreamHandlers } from './rest-user-stream.ts';
import { UsageMeter } from './usage.ts';
import { WsHub } from './ws-hub.ts';
import { handleClientMessage, pushBookTicker } from './ws-market.ts';
import { userStreamPublisher } from './ws-user.ts';

export interface BinanceUsdm {
  http: HttpDialect;
  /** After the engine applied a tick: push bookTicker to subscribers. */
  onTick(symbol: string, top: BookTop): void;
  stop(): Promise<void>;
}

export function createBinanceUsdm(engine: VenueEngine, recorder: Recorder, pingIntervalMs: number): BinanceUsdm {
  let hub: WsHub | undefined;
  const ctx: DialectContext = {
    engine,
    recorder,
    usage: new UsageMeter(),
    listenKeys: new ListenKeys(),
    bookIds: new Map(),
    closeUserStreams: (key) => hub?.closeUserStreams(key),
  };
  const wsHub = new WsHub(ctx, pingIntervalMs);
  hub = wsHub;
  wsHub.onMessage((conn, text) => handleClientMessage(ctx, conn, text));
  engine.listen(userStreamPublisher(ctx, wsHub));

  const handlers = [...marketHandlers(ctx), ...accountHandlers(ctx), ...orderHandlers(ctx), ...userStreamHandlers(ctx)];
  return {
    http: {
      handlers,
      // Unknown paths get a bare 404, as on Binance.
      notFound: () => new HttpResponse(null, { status: 404 }),
      internalError: () => errors.unknown().response(),
      onUpgrade: (listener, req, socket, head) => wsHub.handleUpgrade(listener, req, socket, head),
    },
    onTick: (symbol, top) => pushBookTicker(ctx, wsHub, symbol, top),
    stop: () => wsHub.stop(),
  };
}
