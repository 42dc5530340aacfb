/**
 * Conformance: Python clients from PyPI (binance-futures-connector's UMFutures and ccxt.pro's
 * binanceusdm), unchanged, run from harness/venue/conformance/python/.venv (built by
 * `npm run provision`) against a venue started here. Each prints one JSON line we assert on.
 * When the venv is missing, the tests fail with the command that builds it.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BOT1, btcTop, startTestVenue, type TestVenue } from '../testing.ts';

const dir = join(import.meta.dirname, 'python');
const python = join(dir, '.venv', 'bin', 'python');

let t: TestVenue;
let ticker: NodeJS.Timeout;
beforeEach(async () => {
  t = await startTestVenue();
  t.venue.applyTick('BTCUSDT', btcTop(65000));
  t.venue.applyTick('ETHUSDT', { i: 0, bid: 2999.99, ask: 3000.01, bidQty: 10, askQty: 10, mid: 3000 });
  let i = 0;
  ticker = setInterval(() => t.venue.applyTick('BTCUSDT', btcTop(65000 + (++i % 2) * 0.2, i)), 50);
});
afterEach(async () => {
  clearInterval(ticker);
  await t.venue.stop();
});

// biome-ignore lint/suspicious/noExplicitAny: the script's JSON is inspected freely
async function roundTrip(client: 'connector' | 'connector-hedge' | 'ccxt'): Promise<any> {
  if (!existsSync(python)) throw new Error(`missing ${python}: run \`npm run provision\` (or bash harness/venue/conformance/python/build.sh)`);
  const port = t.venue.portFor('bot-1');
  const env = {
    PATH: process.env.PATH ?? '',
    VENUE_REST_URL: `http://127.0.0.1:${port}`,
    VENUE_WS_URL: `ws://127.0.0.1:${port}`,
    VENUE_API_KEY: BOT1.apiKey,
    VENUE_API_SECRET: BOT1.apiSecret,
    // No proxy may reroute loopback traffic.
    NO_PROXY: '*',
  };
  const { stdout, stderr } = await new Promise<{ stdout: string; stderr: string }>((resolve) => {
    execFile(python, [join(dir, 'roundtrip.py'), client], { env, timeout: 30_000 }, (_err, stdout, stderr) => resolve({ stdout, stderr }));
  });
  const line = stdout.trim().split('\n').pop() ?? '';
  let out: { error?: string; trace?: string };
  try {
    out = JSON.parse(line);
  } catch {
    throw new Error(`no JSON from roundtrip.py ${client}; stdout: ${stdout}\nstderr: ${stderr}`);
  }
  if (out.error) throw new Error(`roundtrip.py ${client} failed: ${out.error}\n${out.trace}\nstderr: ${stderr}`);
  return out;
}

describe('Python clients against the venue', () => {
  it('binance-futures-connector UMFutures(base_url=venue): market data, account, orders, trades, listen key, errors', async () => {
    const r = await roundTrip('connector');
    expect(Math.abs(r.time - Date.now())).toBeLessThan(5000);
    expect(r.symbols).toEqual(['BTCUSDT', 'ETHUSDT']);
    expect(r.book).toMatchObject({ symbol: 'BTCUSDT' });
    expect(r.balance[0]).toMatchObject({ asset: 'USDT', balance: '10000.00000000' });
    expect(r.account_wallet).toBe('10000.00000000');
    expect(r.limit).toMatchObject({ status: 'NEW', clientOrderId: 'py-limit-1', type: 'LIMIT', origQty: '0.01', price: '60000' });
    expect(r.market).toMatchObject({ status: 'FILLED', executedQty: '0.020' });
    expect(r.reduce).toMatchObject({ status: 'FILLED', reduceOnly: true, executedQty: '0.005' });
    expect(r.open_one).toMatchObject({ orderId: r.limit.orderId, status: 'NEW' });
    expect(r.open.map((o: { orderId: number }) => o.orderId)).toEqual([r.limit.orderId]);
    expect(r.query).toMatchObject({ orderId: r.limit.orderId, status: 'NEW' });
    expect(r.cancel).toMatchObject({ orderId: r.limit.orderId, status: 'CANCELED' });
    expect(r.positions).toHaveLength(1);
    expect(r.positions[0]).toMatchObject({ symbol: 'BTCUSDT', positionAmt: '0.015', positionSide: 'BOTH' });
    expect(r.trades.map((x: { orderId: number; side: string; qty: string }) => [x.orderId, x.side, x.qty])).toEqual([
      [r.market.orderId, 'BUY', '0.020'],
      [r.reduce.orderId, 'SELL', '0.005'],
    ]);
    expect(r.listen_key).toMatch(/^[A-Za-z0-9]{64}$/);
    expect(r.renew).toEqual({ listenKey: r.listen_key });
    expect(r.stop_error).toEqual({
      status: 400,
      code: -4120,
      msg: 'Order type not supported for this endpoint. Please use the Algo Order API endpoints instead.',
    });
    expect(r.cancel_error).toEqual({ status: 400, code: -2011, msg: 'Unknown order sent.' });
    // klines, change_leverage, change_margin_type, get_income_history and the mode getters.
    expect(r.klines.length).toBeGreaterThanOrEqual(1);
    for (const row of r.klines) expect(row).toHaveLength(12);
    expect(r.klines.at(-1)[0] % 60_000).toBe(0);
    expect(r.leverage).toEqual({ leverage: 7, maxNotionalValue: '80000000', symbol: 'BTCUSDT' });
    expect(r.margin_type).toEqual([
      { status: 400, code: -4046, msg: 'No need to change margin type.' },
      { code: 200, msg: 'success' },
    ]);
    expect(r.position_mode).toEqual({ dualSidePosition: false });
    expect(r.multi_assets).toEqual({ multiAssetsMargin: false });
    // Per trade: REALIZED_PNL when it closed something at a gain or loss, then COMMISSION.
    const expected = r.trades.flatMap((x: { id: number; realizedPnl: string }) => [
      ...(Number(x.realizedPnl) !== 0 ? [['REALIZED_PNL', String(x.id)]] : []),
      ['COMMISSION', String(x.id)],
    ]);
    expect(r.income.map((x: { incomeType: string; tradeId: string }) => [x.incomeType, x.tradeId])).toEqual(expected);
    expect(r.income_all[0]).toMatchObject({ incomeType: 'TRANSFER', income: '10000.00000000', asset: 'USDT' });
    expect(t.recorder.of('http.request').filter((e) => e.data.status === 404 || (e.data.status as number) >= 500)).toEqual([]);
  });

  it('binance-futures-connector UMFutures: hedge mode round trip (LONG and SHORT on one symbol, each closed, mode off)', async () => {
    const r = await roundTrip('connector-hedge');
    expect(r.mode_on).toEqual({ code: 200, msg: 'success' });
    expect(r.mode).toEqual({ dualSidePosition: true });
    expect(r.mode_again).toEqual({ status: 400, code: -4059, msg: 'No need to change position side.' });
    expect(r.no_side).toEqual({ status: 400, code: -4061, msg: "Order's position side does not match user's setting." });
    expect(r.reduce_only).toEqual({ status: 400, code: -1106, msg: "Parameter 'reduceOnly' sent when not required." });
    expect(r.long).toMatchObject({ status: 'FILLED', side: 'BUY', positionSide: 'LONG', executedQty: '0.020', reduceOnly: false });
    expect(r.short).toMatchObject({ status: 'FILLED', side: 'SELL', positionSide: 'SHORT', executedQty: '0.010', reduceOnly: false });
    expect(r.positions.map((p: { positionSide: string; positionAmt: string }) => [p.positionSide, p.positionAmt])).toEqual([
      ['LONG', '0.020'],
      ['SHORT', '-0.010'],
    ]);
    expect(r.positions[0].entryPrice).toBe(`${r.long.avgPrice}000`);
    expect(r.account_positions.map((p: { positionSide: string }) => p.positionSide)).toEqual(['LONG', 'SHORT']);
    expect(r.mode_with_positions).toEqual({ status: 400, code: -4068, msg: 'Position side cannot be changed if there exists position.' });
    expect(r.close_long).toMatchObject({ status: 'FILLED', side: 'SELL', positionSide: 'LONG', executedQty: '0.020', reduceOnly: true });
    expect(r.close_short).toMatchObject({ status: 'FILLED', side: 'BUY', positionSide: 'SHORT', executedQty: '0.010', reduceOnly: true });
    expect(r.close_flat).toEqual({ status: 400, code: -2022, msg: 'ReduceOnly Order is rejected.' });
    // v3 positionRisk lists only positions with a quantity or open orders.
    expect(r.positions_after).toEqual([]);
    expect(r.trades.map((x: { side: string; positionSide: string }) => [x.side, x.positionSide])).toEqual([
      ['BUY', 'LONG'],
      ['SELL', 'SHORT'],
      ['SELL', 'LONG'],
      ['BUY', 'SHORT'],
    ]);
    expect(r.mode_off).toEqual({ code: 200, msg: 'success' });
    expect(r.mode_final).toEqual({ dualSidePosition: false });
  });

  it('ccxt.pro binanceusdm (PyPI): loadMarkets, balance, watch_ticker, orders, positions, cancel, trades, watch_orders', async () => {
    const r = await roundTrip('ccxt');
    expect(r.markets).toEqual(['BTC/USDT:USDT', 'ETH/USDT:USDT']);
    expect(r.precision).toMatchObject({ amount: 0.001, price: 0.1 });
    expect(r.usdt).toMatchObject({ free: 10000, used: 0, total: 10000 });
    expect([65000, 65000.2]).toContain(r.ticker_last);
    const [limit, market, reduce] = r.orders;
    expect(limit).toMatchObject({ status: 'open', type: 'limit', amount: 0.01, filled: 0 });
    expect(market).toMatchObject({ status: 'closed', type: 'market', amount: 0.02, filled: 0.02 });
    expect(reduce).toMatchObject({ status: 'closed', reduceOnly: true, filled: 0.005 });
    expect(r.positions).toEqual([{ symbol: 'BTC/USDT:USDT', side: 'long', contracts: 0.015, entryPrice: expect.any(Number) }]);
    expect(r.open).toEqual([limit.id]);
    expect(r.cancel).toBe('canceled');
    expect(r.trades.map((x: { order: string; side: string; amount: number }) => [x.order, x.side, x.amount])).toEqual([
      [market.id, 'buy', 0.02],
      [reduce.id, 'sell', 0.005],
    ]);
    expect(Object.fromEntries(r.watched)).toMatchObject({ [market.id]: 'closed', [reduce.id]: 'closed' });
    for (const req of r.requests) expect(req).toMatch(/^(GET|POST|PUT|DELETE) \/fapi\/v[123]\//);
    expect(t.recorder.of('ws.open').map((e) => e.data.path)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^\/market\/ws\//), expect.stringMatching(/^\/private\/ws\?listenKey=/)]),
    );
  });
});
