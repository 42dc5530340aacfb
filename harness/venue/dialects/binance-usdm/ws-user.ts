/**
 * User data stream events of Binance USD-M: ORDER_TRADE_UPDATE for every order state change and
 * ACCOUNT_UPDATE (reason "ORDER") after fills, sent to every user connection whose listen key
 * belongs to the account and is still valid.
 */
import { type Account, crossWalletBalance, type PositionSide } from '../../engine/account.ts';
import { fixed } from '../../engine/decimal.ts';
import type { EngineListener } from '../../engine/engine.ts';
import { avgPrice, isOpen, type OrderUpdate } from '../../engine/order.ts';
import type { DialectContext } from './endpoint.ts';
import { avgText, breakEvenPrice, STP_MODE } from './format.ts';
import { MAINT_MARGIN_RATE } from './rest-account.ts';
import type { WsHub } from './ws-hub.ts';

const a8 = (n: number) => fixed(n, 8);
const orZero = (n: number, text: () => string) => (n === 0 ? '0' : text());

/** Open-order notional of the account on each side of a symbol (the event's "b" and "a"), of one position side if given. */
export function sideNotional(ctx: DialectContext, account: Account, symbol: string, positionSide?: PositionSide): { b: number; a: number } {
  let b = 0;
  let a = 0;
  for (const o of ctx.engine.openOrders(account, symbol)) {
    if (positionSide !== undefined && o.positionSide !== positionSide) continue;
    const n = (o.origQty - o.executedQty) * o.price;
    if (o.side === 'BUY') b += n;
    else a += n;
  }
  return { b, a };
}

export function orderTradeUpdate(ctx: DialectContext, account: Account, u: OrderUpdate) {
  const o = u.order;
  const d = ctx.engine.decimals(o.symbol);
  const f = u.fill;
  const { b, a } = isOpen(o) ? sideNotional(ctx, account, o.symbol) : { b: 0, a: 0 };
  return {
    e: 'ORDER_TRADE_UPDATE',
    T: u.time,
    E: ctx.engine.now(),
    o: {
      s: o.symbol,
      c: o.clientOrderId,
      S: o.side,
      o: o.type,
      f: o.timeInForce,
      q: o.origQtyText,
      p: o.priceText,
      ap: orZero(o.executedQty, () => avgText(avgPrice(o), d)),
      sp: '0',
      x: u.execution,
      X: o.status,
      i: o.orderId,
      l: f ? fixed(f.qty, d.qty) : '0',
      z: orZero(o.executedQty, () => fixed(o.executedQty, d.qty)),
      L: f ? fixed(f.price, d.price) : '0',
      n: f ? a8(f.commission) : '0',
      N: 'USDT',
      T: u.time,
      t: f ? f.tradeId : 0,
      b: orZero(b, () => a8(b)),
      a: orZero(a, () => a8(a)),
      m: f ? f.maker : false,
      R: o.reduceOnly,
      wt: 'CONTRACT_PRICE',
      ot: o.type,
      ps: o.positionSide,
      cp: false,
      rp: f ? a8(f.realizedPnl) : '0',
      pP: false,
      si: 0,
      ss: 0,
      V: STP_MODE,
      pm: 'NONE',
      gtd: 0,
    },
  };
}

/** ACCOUNT_UPDATE after a fill: the balance and the position that changed (`ps` BOTH, LONG or SHORT). */
export function accountUpdate(
  ctx: DialectContext,
  account: Account,
  symbol: string,
  time: number,
  positionSide: PositionSide = 'BOTH',
  reason: 'ORDER' | 'FUNDING_FEE' = 'ORDER',
) {
  const p = positionSide === 'BOTH' ? account.positions.get(symbol) : account.hedged.get(symbol)?.[positionSide];
  const qty = p?.qty ?? 0;
  const mark = ctx.engine.books.get(symbol)?.mid ?? 0;
  const entry = p?.entryPrice ?? 0;
  return {
    e: 'ACCOUNT_UPDATE',
    E: ctx.engine.now(),
    T: time,
    a: {
      m: reason,
      B: [{ a: 'USDT', wb: a8(account.walletBalance), cw: a8(crossWalletBalance(account)), bc: '0' }],
      P: [
        {
          s: symbol,
          pa: fixed(qty, ctx.engine.decimals(symbol).qty),
          ep: a8(entry),
          bep: a8(breakEvenPrice(qty, entry)),
          cr: a8(p?.realized ?? 0),
          up: a8(qty * (mark - entry)),
          mt: account.isolated.has(symbol) ? 'isolated' : 'cross',
          iw: a8(p?.isolatedWallet ?? 0),
          ps: positionSide,
        },
      ],
    },
  };
}

/**
 * MARGIN_CALL for every open position of the account (Binance: pushed when the position risk
 * ratio is too high; `cw` only for cross positions). Maintenance margin at MAINT_MARGIN_RATE of the
 * notional at mark (the book's mid), as GET /fapi/v2/account reports it.
 */
export function marginCall(ctx: DialectContext, account: Account) {
  const legs: { symbol: string; ps: PositionSide; qty: number; entry: number; isolatedWallet: number }[] = [];
  for (const [symbol, p] of account.positions)
    if (p.qty !== 0) legs.push({ symbol, ps: 'BOTH', qty: p.qty, entry: p.entryPrice, isolatedWallet: p.isolatedWallet ?? 0 });
  for (const [symbol, h] of account.hedged)
    for (const ps of ['LONG', 'SHORT'] as const) {
      const p = h[ps];
      if (p.qty !== 0) legs.push({ symbol, ps, qty: p.qty, entry: p.entryPrice, isolatedWallet: p.isolatedWallet ?? 0 });
    }
  const crossed = legs.some((l) => !account.isolated.has(l.symbol));
  return {
    e: 'MARGIN_CALL',
    E: ctx.engine.now(),
    ...(crossed ? { cw: a8(crossWalletBalance(account)) } : {}),
    p: legs.map((l) => {
      const mark = ctx.engine.books.get(l.symbol)?.mid ?? 0;
      const isolated = account.isolated.has(l.symbol);
      return {
        s: l.symbol,
        ps: l.ps,
        pa: fixed(l.qty, ctx.engine.decimals(l.symbol).qty),
        mt: isolated ? 'ISOLATED' : 'CROSSED',
        iw: a8(isolated ? l.isolatedWallet : 0),
        mp: a8(mark),
        up: a8(l.qty * (mark - l.entry)),
        mm: a8(Math.abs(l.qty) * mark * MAINT_MARGIN_RATE),
      };
    }),
  };
}

interface Tamper {
  mode: 'duplicate' | 'reorder';
  left: number;
  held: Array<() => void>;
  timer: NodeJS.Timeout | undefined;
}

/**
 * The user-data side of the hub: turns engine changes into user-stream events for every valid
 * connection of the account, and carries the per-instance stream faults (duplicate or reorder the
 * next N messages, expire the listen key now, notice keys whose validity lapsed).
 */
export class UserStreams {
  readonly #ctx: DialectContext;
  readonly #hub: WsHub;
  readonly #tamper = new Map<string, Tamper>();
  /** Keys already announced as expired, so listenKeyExpired goes out once per key. */
  readonly #announced = new Set<string>();
  #sweptAt = Number.NEGATIVE_INFINITY;

  constructor(ctx: DialectContext, hub: WsHub) {
    this.#ctx = ctx;
    this.#hub = hub;
  }

  /** Engine listener that turns engine changes into user-stream events. */
  listener(): EngineListener {
    return {
      orderUpdate: (account, u) => this.publish(account.instance, orderTradeUpdate(this.#ctx, account, u)),
      accountUpdate: (account, symbol, time, positionSide, reason) =>
        this.publish(account.instance, accountUpdate(this.#ctx, account, symbol, time, positionSide, reason)),
    };
  }

  /** Sends one event to every valid user connection of the instance, through its tamper plan. */
  publish(instance: string, event: unknown): void {
    const raw = JSON.stringify(event);
    const deliver = () => {
      const now = this.#ctx.engine.now();
      for (const conn of this.#hub.conns()) {
        if (conn.kind !== 'user' || conn.listenKey === undefined) continue;
        if (this.#ctx.listenKeys.owner(conn.listenKey, now) !== instance) continue;
        this.#hub.send(conn, conn.listenKey, event, raw);
      }
    };
    const t = this.#tamper.get(instance);
    if (!t || t.left <= 0) {
      deliver();
      return;
    }
    t.left--;
    if (t.mode === 'duplicate') {
      deliver();
      deliver();
    } else {
      t.held.push(deliver);
      if (t.left === 0) this.#release(instance, t);
    }
    if (t.left === 0 && t.held.length === 0) this.#tamper.delete(instance);
  }

  #release(instance: string, t: Tamper): void {
    clearTimeout(t.timer);
    this.#tamper.delete(instance);
    for (const deliver of t.held.reverse()) deliver();
    t.held = [];
  }

  tamper(instance: string, mode: 'duplicate' | 'reorder', count: number, maxHoldMs = 1000): void {
    if (!Number.isInteger(count) || count < 1) throw new Error(`venue: tamperUserEvents count must be a whole number >= 1, got ${count}`);
    const old = this.#tamper.get(instance);
    if (old) this.#release(instance, old);
    const t: Tamper = { mode, left: count, held: [], timer: undefined };
    if (mode === 'reorder') {
      // Never hold forever: a bot that causes fewer events still gets them, late and reversed.
      t.timer = setTimeout(() => this.#release(instance, t), maxHoldMs);
      t.timer.unref();
    }
    this.#tamper.set(instance, t);
  }

  /** listenKeyExpired to the key's connections (sockets stay open; no more events reach them). */
  #announce(key: string): void {
    if (this.#announced.has(key)) return;
    this.#announced.add(key);
    // Binance sends E as a string in this event.
    const event = { e: 'listenKeyExpired', E: String(this.#ctx.engine.now()), listenKey: key };
    const raw = JSON.stringify(event);
    for (const conn of this.#hub.conns()) if (conn.kind === 'user' && conn.listenKey === key) this.#hub.send(conn, key, event, raw);
  }

  /**
   * Pushes MARGIN_CALL for the instance's open positions to its user connections; returns the
   * event, or undefined when the account has no open position (no margin to call).
   */
  marginCall(instance: string): ReturnType<typeof marginCall> | undefined {
    const account = this.#ctx.engine.accountByInstance(instance);
    if (!account) throw new Error(`venue: no account for ${instance}`);
    const event = marginCall(this.#ctx, account);
    if (event.p.length === 0) return undefined;
    this.publish(instance, event);
    return event;
  }

  /** Expires the instance's key now; returns it, or undefined when there was no valid key. */
  expire(instance: string): string | undefined {
    const key = this.#ctx.listenKeys.expire(instance, this.#ctx.engine.now());
    if (key === undefined) return undefined;
    this.#ctx.recorder.record('venue', 'listenKey.expired', { listenKey: key }, instance);
    this.#ctx.events.emit('listenKey.expired', { instance, listenKey: key });
    this.#announce(key);
    return key;
  }

  /** Announces keys whose 60-minute validity lapsed while a connection was still on them. */
  sweep(): void {
    const now = this.#ctx.engine.now();
    // Keys lapse on a minute scale: once a second is plenty, and keeps ticks cheap.
    if (now - this.#sweptAt < 1000 && now >= this.#sweptAt) return;
    this.#sweptAt = now;
    for (const conn of this.#hub.conns()) {
      const key = conn.listenKey;
      if (conn.kind !== 'user' || key === undefined || this.#announced.has(key)) continue;
      const lapsed = this.#ctx.listenKeys.lapsedOwner(key, now);
      if (lapsed === undefined) continue;
      this.#ctx.recorder.record('venue', 'listenKey.expired', { listenKey: key }, lapsed);
      this.#ctx.events.emit('listenKey.expired', { instance: lapsed, listenKey: key });
      this.#announce(key);
    }
  }

  stop(): void {
    for (const t of this.#tamper.values()) clearTimeout(t.timer);
    this.#tamper.clear();
  }
}
