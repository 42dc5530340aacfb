/**
 * Entry point of the venue: a simulated Binance USD-M futures exchange in the harness process,
 * with one HTTP+WebSocket listener per account instance on a loopback address.
 */
import { isIP } from 'node:net';
import { createBinanceUsdm } from './dialects/binance-usdm/index.ts';
import { VenueEngine } from './engine/engine.ts';
import { type Listener, startListener } from './server.ts';
import type { StartedVenue, VenueOptions } from './types.ts';

export { DEFAULT_SYMBOLS } from './default-symbols.ts';
export type { StartedVenue, SymbolConfig, VenueAccount, VenueOptions } from './types.ts';

const DEFAULT_PING_INTERVAL_MS = 180_000;

/** Loopback only: the venue holds test credentials and must never be reachable from outside. */
function assertLoopback(host: string): void {
  const loopback = host === 'localhost' || host === '::1' || (isIP(host) === 4 && host.startsWith('127.'));
  if (!loopback) throw new Error(`venue: host "${host}" is not a loopback address; use 127.0.0.1 (the venue must not be reachable from other machines)`);
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
  });
  const dialect = createBinanceUsdm(engine, opts.recorder, opts.wsPingIntervalMs ?? DEFAULT_PING_INTERVAL_MS);

  const listeners = new Map<string, Listener>();
  try {
    for (const { instance } of opts.accounts) listeners.set(instance, await startListener(host, instance, dialect.http, opts.recorder));
  } catch (err) {
    await Promise.all([...listeners.values()].map((l) => l.close()));
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
        await dialect.stop();
        await Promise.all([...listeners.values()].map((l) => l.close()));
      })();
      return stopping;
    },
  };
}
