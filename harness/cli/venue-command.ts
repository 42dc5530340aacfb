/**
 * `faultline venue [--port N] [--seed N] [--symbols A,B] [--history-minutes N] [--json]`: the
 * simulated Binance USD-M venue on its own, on loopback, with its own seeded price path (and a day
 * of one-minute klines before it by default), so a developer can point a bot
 * or a client at it by hand. Prints the REST and WS base URLs and a test API key and secret
 * (with --json: one JSON line {restUrl, wsUrl, apiKey, apiSecret}); Ctrl-C or SIGTERM stops it
 * cleanly and the command returns 0.
 */
import { createHmac } from 'node:crypto';
import { parseArgs } from 'node:util';
import { ConfigError, formatMessage } from '../core/errors.ts';
import type { MarketSpec } from '../core/scenario.ts';
import type { HistoryEvent, Recorder, Source } from '../history/types.ts';
import { backfillMarket } from '../market/history.ts';
import { MarketDriver } from '../runner/market-driver.ts';
import { DEFAULT_SYMBOLS, startVenue } from '../venue/index.ts';

export const VENUE_USAGE = 'usage: faultline venue [--port N] [--seed N] [--symbols A,B] [--history-minutes N] [--json]';

const INSTANCE = 'dev';
const BALANCE_USDT = 10_000;
/** Where each default symbol's price path starts. */
const START_PRICE: Readonly<Record<string, number>> = { BTCUSDT: 65_000, ETHUSDT: 3_000 };
const TICK_MS = 250;
const VOL_PER_TICK = 0.0003;

export interface VenueArgs {
  port: number;
  seed: number;
  symbols: string[];
  /** One-minute klines before the first tick (default 1440, one day). */
  historyMinutes: number;
  json: boolean;
}

function whole(name: string, text: string, max: number): number {
  if (!/^\d+$/.test(text) || Number(text) > max) throw new ConfigError(`--${name} must be a whole number from 0 to ${max}, got "${text}"`, VENUE_USAGE);
  return Number(text);
}

export function parseVenueArgs(argv: string[]): VenueArgs {
  let values: { port?: string; seed?: string; symbols?: string; 'history-minutes'?: string; json?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        port: { type: 'string' },
        seed: { type: 'string' },
        symbols: { type: 'string' },
        'history-minutes': { type: 'string' },
        json: { type: 'boolean' },
      },
      allowPositionals: false,
      strict: true,
    }));
  } catch (err) {
    throw new ConfigError((err as Error).message, VENUE_USAGE);
  }
  const known = DEFAULT_SYMBOLS.map((s) => s.symbol);
  const symbols = (values.symbols ?? known.join(','))
    .split(',')
    .map((s) => s.trim().toUpperCase())
    .filter(Boolean);
  if (symbols.length === 0) throw new ConfigError('--symbols is empty', `known symbols: ${known.join(', ')}`);
  for (const s of symbols) if (!known.includes(s)) throw new ConfigError(`unknown symbol "${s}"`, `known symbols: ${known.join(', ')}`);
  return {
    port: values.port === undefined ? 0 : whole('port', values.port, 65_535),
    seed: values.seed === undefined ? 1 : whole('seed', values.seed, 2 ** 32 - 1),
    symbols: [...new Set(symbols)],
    historyMinutes: values['history-minutes'] === undefined ? 1440 : whole('history-minutes', values['history-minutes'], 7 * 1440),
    json: values.json ?? false,
  };
}

/** Deterministic test credentials from the seed (64 hex characters, like Binance's). */
export function devCredentials(seed: number): { apiKey: string; apiSecret: string } {
  const h = (label: string) => createHmac('sha256', `faultline:venue:${seed}`).update(label).digest('hex');
  return { apiKey: h('key'), apiSecret: h('secret') };
}

/** The standalone venue keeps no history; events are counted, not stored. */
function discardingRecorder(): Recorder {
  const start = performance.now();
  let seq = 0;
  return {
    record<D extends Record<string, unknown>>(src: Source, type: string, data: D, instance?: string): HistoryEvent<D> {
      return { seq: seq++, t: performance.now() - start, src, type, data, ...(instance ? { instance } : {}) };
    },
    now: () => performance.now() - start,
  };
}

function waitForSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const handler = (sig: NodeJS.Signals) => {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
      resolve(sig);
    };
    process.on('SIGINT', handler);
    process.on('SIGTERM', handler);
  });
}

export async function venueCommand(argv: string[]): Promise<number> {
  const args = parseVenueArgs(argv);
  const { apiKey, apiSecret } = devCredentials(args.seed);
  const recorder = discardingRecorder();
  const symbols = DEFAULT_SYMBOLS.filter((s) => args.symbols.includes(s.symbol));
  // Trap signals before anything starts, so an early Ctrl-C still stops cleanly.
  const signalled = waitForSignal();
  let venue: Awaited<ReturnType<typeof startVenue>>;
  try {
    venue = await startVenue({
      recorder,
      symbols,
      accounts: [{ instance: INSTANCE, apiKey, apiSecret, balanceUsdt: BALANCE_USDT }],
      ports: { [INSTANCE]: args.port },
    });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE')
      throw new ConfigError(`port ${args.port} on 127.0.0.1 is already in use`, 'pick another --port, or 0 for a free one');
    throw err;
  }
  const drivers = symbols.map((s) => {
    const spec: MarketSpec = { symbol: s.symbol, startPrice: START_PRICE[s.symbol] ?? 100, tickMs: TICK_MS, volPerTick: VOL_PER_TICK };
    backfillMarket(venue, args.seed, spec, { tickSize: Number(s.tickSize), stepSize: Number(s.stepSize) }, args.historyMinutes);
    return new MarketDriver(args.seed, spec, Number(s.tickSize), Number(s.stepSize), recorder, venue);
  });
  try {
    for (const d of drivers) d.start();
    const port = venue.portFor(INSTANCE);
    const restUrl = `http://127.0.0.1:${port}`;
    const wsUrl = `ws://127.0.0.1:${port}`;
    if (args.json) {
      process.stdout.write(`${JSON.stringify({ restUrl, wsUrl, apiKey, apiSecret })}\n`);
    } else {
      process.stdout.write(
        [
          'Faultline venue: simulated Binance USD-M futures on loopback',
          `  REST base    ${restUrl}   (/fapi/...)`,
          `  WS base      ${wsUrl}     (/ws/<stream>, /stream?streams=, /market/ws, /public/ws, /private/ws?listenKey=)`,
          `  API key      ${apiKey}`,
          `  API secret   ${apiSecret}`,
          `  symbols      ${args.symbols.join(', ')}  (seed ${args.seed}, a tick every ${TICK_MS} ms, ${args.historyMinutes} min of klines before, ${BALANCE_USDT} USDT)`,
          'Ctrl-C to stop.',
          '',
        ].join('\n'),
      );
    }
    const sig = await signalled;
    process.stderr.write(`${formatMessage(`venue: ${sig}, stopping`)}\n`);
  } finally {
    for (const d of drivers) d.stop();
    await venue.stop();
  }
  return 0;
}
