/**
 * The matching engine: accounts, books (top of book only), orders, fills, and the venue history
 * events order.new / order.fill / order.cancel. Dialect-free: it speaks numbers and reasons;
 * Binance (or later Bybit) codes, messages and wire formats live in harness/venue/dialects/.
 *
 * Liquidity model: the top of book is infinitely deep. MARKET and marketable LIMIT orders fill at
 * the touch as taker, in full at once or in slices over time as the fill policy says; resting
 * LIMIT orders fill in full at their own price as maker when a later tick crosses them.
 */
import type { Recorder } from '../../history/types.ts';
import type { BookTop } from '../../market/price-path.ts';
import type { SymbolConfig, VenueAccount } from '../types.ts';
import { type Account, applyFill, closesLeg, increasingQty, moveIsolatedMargin, netQty, newAccount, type PositionSide, sidePosition } from './account.ts';
import { roundTo, significantDecimals } from './decimal.ts';
import { checkFunding, DEFAULT_FUNDING, type FundingOptions, type FundingPayment, nextFundingTime, settleFunding } from './funding.ts';
import { type AccountView, accountView } from './margin.ts';
import { type FillPolicy, isOpen, type NewOrder, type Order, type OrderUpdate, type PlaceResult, type Trade } from './order.ts';
import { type Decimals, recordCancel, recordFill, recordNew } from './order-events.ts';

export const TAKER_FEE = 0.0005;
export const MAKER_FEE = 0.0002;

export interface EngineListener {
  orderUpdate(account: Account, update: OrderUpdate): void;
  /**
   * Balance or position changed: after a fill (reason ORDER; `positionSide` is the position that
   * changed) or a funding payment (reason FUNDING_FEE).
   */
  accountUpdate(account: Account, symbol: string, time: number, positionSide: PositionSide, reason?: 'ORDER' | 'FUNDING_FEE'): void;
}

export interface EngineOptions {
  recorder: Recorder;
  symbols: readonly SymbolConfig[];
  accounts: readonly VenueAccount[];
  leverage: number;
  /** Venue clock (ms since epoch, skew included). */
  now: () => number;
  /** Default { kind: 'immediate' }. */
  fillPolicy?: FillPolicy;
  /** Default DEFAULT_FUNDING (0.01 % every 8 h). */
  funding?: FundingOptions;
}

/** A fill policy a caller gave us, checked so a typo fails loudly instead of hanging an order. */
export function checkFillPolicy(p: FillPolicy): FillPolicy {
  if (p.kind === 'immediate') return p;
  if (p.kind !== 'slices') throw new Error(`venue: unknown fill policy kind "${(p as { kind: string }).kind}" (use 'immediate' or 'slices')`);
  if (!Number.isInteger(p.slices) || p.slices < 1) throw new Error(`venue: fill policy slices must be a whole number >= 1, got ${p.slices}`);
  if (!(p.intervalMs >= 0) || !Number.isFinite(p.intervalMs)) throw new Error(`venue: fill policy intervalMs must be >= 0, got ${p.intervalMs}`);
  if (p.filledSlices !== undefined && (!Number.isInteger(p.filledSlices) || p.filledSlices < 1 || p.filledSlices > p.slices))
    throw new Error(`venue: fill policy filledSlices must be a whole number in [1, slices], got ${p.filledSlices}`);
  if (p.rest !== undefined && p.rest !== 'expire' && p.rest !== 'cancel') throw new Error(`venue: fill policy rest must be 'expire' or 'cancel'`);
  return p;
}

export class VenueEngine {
  /** Default leverage of every account on every symbol (POST /fapi/v1/leverage changes one). */
  readonly leverage: number;
  /** Venue time at construction: when the accounts' deposits arrived. */
  readonly startedAt: number;
  readonly symbols: ReadonlyMap<string, SymbolConfig>;
  readonly books = new Map<string, BookTop>();
  readonly orders: Order[] = [];
  /** Every execution, oldest first (userTrades). */
  readonly trades: Trade[] = [];
  /** Every funding payment, oldest first (income FUNDING_FEE). */
  readonly fundings: FundingPayment[] = [];
  readonly funding: FundingOptions;
  readonly #recorder: Recorder;
  readonly #now: () => number;
  readonly #byInstance = new Map<string, Account>();
  readonly #byKey = new Map<string, Account>();
  readonly #listeners: EngineListener[] = [];
  /** The open orders (NEW or PARTIALLY_FILLED), so ticks and margin never scan closed history. */
  readonly #open = new Set<Order>();
  /** Orders whose taker slices are still being worked: ticks must not fill them as resting orders. */
  readonly #slicing = new Set<number>();
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #decimals = new Map<string, Decimals>();
  #policy: FillPolicy;
  #stopped = false;
  #nextOrderId = 4_000_000_001;
  #nextTradeId = 900_000_001;

  constructor(opts: EngineOptions) {
    this.#recorder = opts.recorder;
    this.#now = opts.now;
    this.leverage = opts.leverage;
    this.startedAt = opts.now();
    this.#policy = checkFillPolicy(opts.fillPolicy ?? { kind: 'immediate' });
    this.funding = checkFunding(opts.funding ?? DEFAULT_FUNDING);
    this.symbols = new Map(opts.symbols.map((s) => [s.symbol, s]));
    this.#scheduleFunding();
    for (const cfg of opts.accounts) {
      if (this.#byInstance.has(cfg.instance)) throw new Error(`venue: duplicate account instance "${cfg.instance}"`);
      if (this.#byKey.has(cfg.apiKey)) throw new Error(`venue: instance "${cfg.instance}" reuses another account's apiKey`);
      const account = newAccount(cfg);
      this.#byInstance.set(cfg.instance, account);
      this.#byKey.set(cfg.apiKey, account);
    }
  }

  /** Applies to orders placed from now on; slices already scheduled keep their policy. */
  setFillPolicy(p: FillPolicy): void {
    this.#policy = checkFillPolicy(p);
  }

  get fillPolicy(): FillPolicy {
    return this.#policy;
  }

  /** The next funding time on the venue clock. */
  nextFundingTime(): number {
    return nextFundingTime(this.#now(), this.funding.intervalMs);
  }

  /** Pays funding on every open position now (the funding timer calls this at each funding time). */
  settleFunding(time = this.#now()): FundingPayment[] {
    const marks = new Map([...this.books].map(([symbol, top]) => [symbol, top.mid]));
    const paid: FundingPayment[] = [];
    for (const account of this.#byInstance.values()) {
      const payments = settleFunding(account, marks, this.funding.rate, time);
      for (const p of payments) {
        this.fundings.push(p);
        this.#recorder.record(
          'venue',
          'account.funding',
          { symbol: p.symbol, positionSide: p.positionSide, amount: p.amount, rate: p.rate, markPrice: p.markPrice },
          p.instance,
        );
        for (const l of this.#listeners) l.accountUpdate(account, p.symbol, time, p.positionSide, 'FUNDING_FEE');
      }
      paid.push(...payments);
    }
    return paid;
  }

  #scheduleFunding(): void {
    if (this.#stopped) return;
    // A timer's delay is capped near 24.8 days; the chain re-arms itself until the funding time.
    const delay = Math.min(2_147_000_000, Math.max(0, this.nextFundingTime() - this.#now()));
    const due = this.#now() + delay;
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      if (this.#stopped) return;
      if (this.#now() >= due - 1) this.settleFunding(due);
      this.#scheduleFunding();
    }, delay + 1);
    timer.unref();
    this.#timers.add(timer);
  }

  /** Cancels pending slice timers; later slices never run. Idempotent. */
  stop(): void {
    this.#stopped = true;
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
  }

  listen(l: EngineListener): void {
    this.#listeners.push(l);
  }

  now(): number {
    return this.#now();
  }

  accountByKey(apiKey: string): Account | undefined {
    return this.#byKey.get(apiKey);
  }

  accountByInstance(instance: string): Account | undefined {
    return this.#byInstance.get(instance);
  }

  view(account: Account): AccountView {
    return accountView(account, { leverage: (symbol) => this.leverageOf(account, symbol), books: this.books, orders: [...this.#open] });
  }

  leverageOf(account: Account, symbol: string): number {
    return account.leverage.get(symbol) ?? this.leverage;
  }

  /** Sets an account's leverage on a symbol (the dialect has validated it). */
  setLeverage(account: Account, symbol: string, leverage: number): void {
    this.#symbol(symbol);
    account.leverage.set(symbol, leverage);
  }

  /** A trade id from the venue's sequence for a trade that is no account's (a synthetic market print). */
  allocateTradeId(): number {
    return this.#nextTradeId++;
  }

  /**
   * Signed position of an instance in a symbol: without `side`, the net quantity (the BOTH
   * position, or LONG plus SHORT in hedge mode); with it, that position only.
   */
  position(instance: string, symbol: string, side?: PositionSide): number {
    const account = this.#byInstance.get(instance);
    if (!account) return 0;
    return side === undefined ? netQty(account, symbol) : sidePosition(account, symbol, side).qty;
  }

  /** Switches an account between one-way and hedge mode (the dialect has checked it is flat). */
  setDualSide(account: Account, dual: boolean): void {
    account.dualSide = dual;
  }

  /** Display decimals of a symbol: those of its step size and tick size (computed once). */
  decimals(symbol: string): Decimals {
    let d = this.#decimals.get(symbol);
    if (!d) {
      const cfg = this.#symbol(symbol);
      d = Object.freeze({ qty: significantDecimals(cfg.stepSize), price: significantDecimals(cfg.tickSize) });
      this.#decimals.set(symbol, d);
    }
    return d;
  }

  place(account: Account, req: NewOrder): PlaceResult {
    const positionSide = req.positionSide ?? 'BOTH';
    if ((positionSide === 'BOTH') === account.dualSide) return { ok: false, reason: { kind: 'POSITION_SIDE_MISMATCH' } };
    const book = this.books.get(req.symbol);
    if (!book) return { ok: false, reason: { kind: 'NO_PRICE' } };
    let dup = false;
    for (const o of this.#open) if (o.instance === account.instance && o.clientOrderId === req.clientOrderId) dup = true;
    if (dup) return { ok: false, reason: { kind: 'DUPLICATE_CLIENT_ORDER_ID' } };
    const pos = sidePosition(account, req.symbol, positionSide).qty;
    const reduceOnly = req.reduceOnly || closesLeg(positionSide, req.side);
    if (reduceOnly && increasingQty(pos, req.side, req.qty) === req.qty) return { ok: false, reason: { kind: 'REDUCE_ONLY' } };
    const touch = req.side === 'BUY' ? book.ask : book.bid;
    const limit = req.price ?? touch;
    const marketable = req.type === 'MARKET' || (req.side === 'BUY' ? limit >= touch : limit <= touch);
    if (req.timeInForce === 'GTX' && marketable) return { ok: false, reason: { kind: 'POST_ONLY_WOULD_TAKE' } };
    if (req.timeInForce === 'FOK' && !marketable) return { ok: false, reason: { kind: 'FOK_UNFILLABLE' } };
    if (!reduceOnly) {
      const required = (increasingQty(pos, req.side, req.qty) * Math.max(limit, touch)) / this.leverageOf(account, req.symbol);
      const available = this.view(account).availableBalance;
      if (required > available) return { ok: false, reason: { kind: 'INSUFFICIENT_MARGIN', required, available } };
    }

    const time = this.#now();
    const order: Order = {
      orderId: this.#nextOrderId++,
      clientOrderId: req.clientOrderId,
      instance: account.instance,
      symbol: req.symbol,
      side: req.side,
      type: req.type,
      timeInForce: req.timeInForce ?? 'GTC',
      origQty: req.qty,
      origQtyText: req.qtyText,
      price: req.type === 'MARKET' ? 0 : limit,
      priceText: req.type === 'MARKET' ? '0' : (req.priceText ?? String(limit)),
      reduceOnly,
      positionSide,
      time,
      status: 'NEW',
      executedQty: 0,
      cumQuote: 0,
      updateTime: time,
    };
    this.orders.push(order);
    this.#open.add(order);
    recordNew(this.#recorder, order, pos, this.decimals(req.symbol));
    this.#emit(account, { order, execution: 'NEW', time });

    if (marketable) this.#take(account, order, this.#policy);
    else if (order.timeInForce === 'IOC') this.#end(account, order, 'EXPIRED');
    return { ok: true, order };
  }

  cancel(account: Account, symbol: string, ref: { orderId?: number; clientOrderId?: string }): Order | undefined {
    const order = this.find(account, symbol, ref);
    if (!order || !isOpen(order)) return undefined;
    this.#end(account, order, 'CANCELED');
    return order;
  }

  find(account: Account, symbol: string, ref: { orderId?: number; clientOrderId?: string }): Order | undefined {
    // Newest first: a client order id may be reused once the earlier order is closed.
    for (let i = this.orders.length - 1; i >= 0; i--) {
      const o = this.orders[i] as Order;
      if (o.instance !== account.instance || o.symbol !== symbol) continue;
      if (ref.orderId !== undefined ? o.orderId === ref.orderId : o.clientOrderId === ref.clientOrderId) return o;
    }
    return undefined;
  }

  openOrders(account: Account, symbol?: string): Order[] {
    return [...this.#open].filter((o) => o.instance === account.instance && (symbol === undefined || o.symbol === symbol));
  }

  /** New top of book: resting orders it crosses fill as maker at their own limit price. */
  applyTick(symbol: string, top: BookTop): void {
    this.#symbol(symbol);
    this.books.set(symbol, top);
    if (this.#open.size === 0) return;
    for (const order of [...this.#open].filter((o) => o.symbol === symbol && o.type === 'LIMIT' && !this.#slicing.has(o.orderId))) {
      if (!isOpen(order)) continue;
      const crossed = order.side === 'BUY' ? top.ask <= order.price : top.bid >= order.price;
      const account = this.#byInstance.get(order.instance);
      if (crossed && account) this.#fill(account, order, order.price, true);
    }
  }

  /** Executes a marketable order as taker under a fill policy. */
  #take(account: Account, order: Order, policy: FillPolicy): void {
    if (policy.kind === 'immediate') {
      this.#fill(account, order, order.side === 'BUY' ? (this.books.get(order.symbol) as BookTop).ask : (this.books.get(order.symbol) as BookTop).bid, false);
      return;
    }
    const d = this.decimals(order.symbol).qty;
    const step = 10 ** -d;
    // Equal slices on the step grid (at least one step each); the last slice takes what is left.
    const per = Math.max(step, roundTo(Math.floor(order.origQty / policy.slices / step + 1e-9) * step, d));
    const stopAfter = policy.filledSlices ?? policy.slices;
    let n = 0;
    const slice = (): void => {
      if (this.#stopped || !isOpen(order)) {
        this.#doneSlicing(order);
        return;
      }
      const book = this.books.get(order.symbol) as BookTop;
      const touch = order.side === 'BUY' ? book.ask : book.bid;
      const marketable = order.type === 'MARKET' || (order.side === 'BUY' ? order.price >= touch : order.price <= touch);
      if (!marketable) {
        // The price moved away from a LIMIT order between slices: it rests (IOC/FOK expire).
        this.#doneSlicing(order);
        if (order.timeInForce !== 'GTC') this.#end(account, order, 'EXPIRED');
        return;
      }
      n++;
      this.#fill(account, order, touch, false, n >= policy.slices ? Number.POSITIVE_INFINITY : per);
      if (!isOpen(order)) {
        this.#doneSlicing(order);
        return;
      }
      if (n >= stopAfter) {
        this.#doneSlicing(order);
        this.#end(account, order, policy.rest === 'cancel' ? 'CANCELED' : 'EXPIRED', 'expired');
        return;
      }
      const timer = setTimeout(() => {
        this.#timers.delete(timer);
        slice();
      }, policy.intervalMs);
      timer.unref();
      this.#timers.add(timer);
    };
    this.#slicing.add(order.orderId);
    slice();
  }

  #doneSlicing(order: Order): void {
    this.#slicing.delete(order.orderId);
  }

  /** Fills up to `maxQty` of what is left of an order at `price`. */
  #fill(account: Account, order: Order, price: number, maker: boolean, maxQty = Number.POSITIVE_INFINITY): void {
    const qtyDecimals = this.decimals(order.symbol).qty;
    const pos = sidePosition(account, order.symbol, order.positionSide);
    const remaining = roundTo(order.origQty - order.executedQty, qtyDecimals);
    let qty = Math.min(remaining, maxQty);
    let cut = false;
    if (order.reduceOnly) {
      // A reduce-only order never opens or grows a position: it is cut to what is left to close.
      const closable = increasingQty(pos.qty, order.side, qty) === qty ? 0 : Math.min(qty, Math.abs(pos.qty));
      if (closable === 0) {
        this.#end(account, order, 'EXPIRED');
        return;
      }
      cut = closable < qty;
      qty = closable;
    }
    const time = this.#now();
    const signed = order.side === 'BUY' ? qty : -qty;
    const before = pos.qty;
    const realizedPnl = applyFill(pos, signed, price, qtyDecimals, time);
    if (account.isolated.has(order.symbol)) moveIsolatedMargin(pos, before, order.side, qty, price, this.leverageOf(account, order.symbol));
    const commission = qty * price * (maker ? MAKER_FEE : TAKER_FEE);
    account.walletBalance += realizedPnl - commission;
    order.executedQty = roundTo(order.executedQty + qty, qtyDecimals);
    order.cumQuote += qty * price;
    order.status = order.executedQty >= order.origQty ? 'FILLED' : 'PARTIALLY_FILLED';
    order.updateTime = time;
    if (order.status === 'FILLED') this.#open.delete(order);
    const fill = { tradeId: this.#nextTradeId++, qty, price, maker, commission, realizedPnl, positionAfter: pos.qty };
    this.trades.push({
      tradeId: fill.tradeId,
      orderId: order.orderId,
      instance: order.instance,
      symbol: order.symbol,
      side: order.side,
      positionSide: order.positionSide,
      price,
      qty,
      commission,
      realizedPnl,
      maker,
      time,
    });
    recordFill(this.#recorder, order, fill, this.decimals(order.symbol));
    this.#emit(account, { order, execution: 'TRADE', fill, time });
    for (const l of this.#listeners) l.accountUpdate(account, order.symbol, time, order.positionSide, 'ORDER');
    // Cut to the position: what is left could only grow it, so the venue ends it.
    if (cut && order.status === 'PARTIALLY_FILLED') this.#end(account, order, 'EXPIRED');
  }

  /** Ends an open order; `reason` is the history's view (who ended it), default from the status. */
  #end(account: Account, order: Order, status: 'CANCELED' | 'EXPIRED', reason?: 'user' | 'expired'): void {
    const time = this.#now();
    order.status = status;
    order.updateTime = time;
    this.#open.delete(order);
    recordCancel(this.#recorder, order, reason ?? (status === 'CANCELED' ? 'user' : 'expired'));
    this.#emit(account, { order, execution: status, time });
  }

  #emit(account: Account, update: OrderUpdate): void {
    for (const l of this.#listeners) l.orderUpdate(account, update);
  }

  #symbol(symbol: string): SymbolConfig {
    const cfg = this.symbols.get(symbol);
    if (!cfg) throw new Error(`venue: unknown symbol "${symbol}" (configured: ${[...this.symbols.keys()].join(', ')})`);
    return cfg;
  }
}
