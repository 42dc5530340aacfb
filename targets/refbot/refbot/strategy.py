"""Deterministic 4-phase inventory cycle: LONG, FLAT, SHORT, FLAT, ...

Each tick the target position is +Q / 0 / -Q (Q = floor_to_step(max_notional / price)) and one
MARKET order closes the gap. The pure planning functions are separate from the async loop so
they can be tested without a venue.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import time
from dataclasses import dataclass
from decimal import Decimal
from typing import Union

from . import flaws, fsm, outbound, probes
from .config import Config
from .candles import MAX_RANGE_PCT
from .exits import exit_first
from .exitverify import ExitVerifier
from .leader import LeaderLock
from .graceful import Lifecycle
from .killswitch import KillSwitch, halted_before_resend
from .prices import PriceBook, PriceEstimate
from .rest import RECV_WINDOW_MS, BinanceError, ClockSkewError, RestClient, outcome_unknown
from .state import AccountState, ClientIds, OwnOrder, dec
from .sizing import float_floor_to_step, floor_to_step, quantize_to_step

log = logging.getLogger("refbot.strategy")

PHASES = ("LONG", "FLAT", "SHORT", "FLAT")

MAX_ATTEMPTS = 3  # order requests per intent: the first one plus up to 2 re-sends
BLIND_RETRY_DELAY_S = 0.2  # flaw blind-retry-on-timeout: the retry decorator's pause
LOOKUP_TRIES = 5  # hardened: order lookups after an ambiguous failure
LOOKUP_DELAY_S = 0.2
SETTLE_MARGIN_MS = 250


@dataclass(frozen=True)
class SymbolFilters:
    tick_size: Decimal
    step_size: Decimal
    min_qty: Decimal
    min_notional: Decimal
    # Flaw quantize-to-step: quantities rounded with Decimal.quantize (refbot/sizing.py).
    quantize_qty: bool = False
    # Flaw float-step-rounding: quantities floored in binary floats (refbot/sizing.py).
    float_qty: bool = False


def parse_filters(exchange_info: dict, symbol: str) -> SymbolFilters:
    for s in exchange_info.get("symbols", []):
        if s.get("symbol") != symbol:
            continue
        f = {x.get("filterType"): x for x in s.get("filters", [])}
        try:
            return SymbolFilters(
                tick_size=dec(f["PRICE_FILTER"]["tickSize"]),
                step_size=dec(f["LOT_SIZE"]["stepSize"]),
                min_qty=dec(f["LOT_SIZE"]["minQty"]),
                min_notional=dec(f.get("MIN_NOTIONAL", {}).get("notional", "0")),
            )
        except KeyError as e:
            raise ValueError(f"exchangeInfo for {symbol} lacks filter field {e}") from None
    raise ValueError(f"symbol {symbol} not in exchangeInfo")


def qty_to_step(x: Decimal, f: SymbolFilters) -> Decimal:
    if f.quantize_qty:
        return quantize_to_step(x, f.step_size)
    return float_floor_to_step(x, f.step_size) if f.float_qty else floor_to_step(x, f.step_size)


def target_qty(max_notional: float, price: float, f: SymbolFilters) -> Decimal | None:
    """Q for the LONG/SHORT phases, or None when even Q * price is below the min notional."""
    p = Decimal(str(price))
    q = qty_to_step(Decimal(str(max_notional)) / p, f)
    q = max(q, f.min_qty)
    if q * p < f.min_notional:
        return None
    return q


def target_position(phase: str, q: Decimal) -> Decimal:
    return {"LONG": q, "FLAT": Decimal(0), "SHORT": -q}[phase]


def is_reduce_only(position: Decimal, delta: Decimal) -> bool:
    """True when the order only shrinks the position (same |size| or less, opposite side)."""
    return position != 0 and delta != 0 and (delta > 0) != (position > 0) and abs(delta) <= abs(position)


@dataclass(frozen=True)
class OrderPlan:
    side: str
    qty: Decimal
    reduce_only: bool
    price: float | None
    source: str  # "mid" | "entry-fallback" | "none" (reduce-only exit without a usable price)
    candle: dict | None = None  # the decision candle (refbot/candles.py), reported in the order probe


@dataclass(frozen=True)
class SkipPlan:
    reason: str
    age_ms: int | None


Plan = Union[OrderPlan, SkipPlan, None]


def plan(phase: str, position: Decimal, est: PriceEstimate, f: SymbolFilters, max_notional: float) -> Plan:
    if est.price is None:
        # No usable price: never open risk. A reduce-only exit of the whole position needs no price.
        target_sign = {"LONG": 1, "FLAT": 0, "SHORT": -1}[phase]
        pos_sign = (position > 0) - (position < 0)
        if position != 0 and target_sign != pos_sign:
            return OrderPlan("SELL" if position > 0 else "BUY", abs(position), True, None, "none")
        if phase == "FLAT" and position == 0:
            return None
        return SkipPlan("stale-prices" if est.stale else "no-price", est.age_ms)
    q = target_qty(max_notional, est.price, f)
    if q is None and phase != "FLAT":
        return SkipPlan("below-min-notional", est.age_ms)
    delta = target_position(phase, q or Decimal(0)) - position
    if delta == 0:
        return None
    qty = qty_to_step(abs(delta), f)
    if qty == 0:
        return None
    return OrderPlan("BUY" if delta > 0 else "SELL", qty, is_reduce_only(position, delta), est.price, est.source or "mid")


class Trader:
    def __init__(self, cfg: Config, rest: RestClient, book: PriceBook, state: AccountState, filters: SymbolFilters, ids: ClientIds) -> None:
        self.cfg, self.rest, self.book, self.state, self.filters, self.ids = cfg, rest, book, state, filters, ids
        self.ticks = 0
        self.intents = 0
        self.recv_window_ms = RECV_WINDOW_MS
        self.last_sync = time.monotonic()  # the bot synced its clock offset at startup
        # Hardened drift guard (003_a7371304fd1017c8.txt#sync-server-time-raises-on-critical-ahead-of):
        # the offset that halted trading while |offset| > REFBOT_MAX_CLOCK_OFFSET_MS, else None; and
        # whether the latest sync measured the venue's clock (exits are signed only then).
        self.clock_halt: int | None = None
        self.clock_valid = True
        # Leader lock (refbot/leader.py): when set, only its holder trades.
        self.gate: LeaderLock | None = None
        # Runner lifecycle (refbot/graceful.py): no new orders unless RUNNING; ERROR is sticky.
        self.lifecycle: Lifecycle | None = None
        # Kill switch / circuit breaker (refbot/killswitch.py): gates every order path.
        self.killswitch: KillSwitch | None = None
        # Loss guards reading the venue (refbot/riskguard.py): asked before every risk-increasing order.
        self.riskguard = None
        # Local order book from the diff-depth stream (refbot/depth.py): no new risk unless it is in sync.
        self.depth = None
        # Exposure limit counting pending orders, order cap (refbot/limits.py): asked before every risk-increasing order.
        self.limits = None
        self.exits = ExitVerifier(cfg.flags.flaws)  # what a rejected exit leaves open (refbot/exitverify.py)
        self.tiers = None  # the venue's leverage tiers (refbot/tiers.py): they cap every risk-increasing order
        self.candles = None  # the live decision candle (refbot/candles.py)
        self.warmup = None  # indicator warmup (refbot/warmup.py): its readiness gate is asked before new risk
        self.pnl = None  # realized PnL of its trades, printed with the position (refbot/pnl.py)

    async def run(self) -> None:
        interval = self.cfg.trade_interval_ms / 1000.0
        next_at = time.monotonic()
        while True:
            phase = PHASES[self.ticks % len(PHASES)]
            self.ticks += 1
            try:
                await self.tick(phase)
            except asyncio.CancelledError:
                raise
            except Exception:  # one bad tick must never stop the bot
                log.exception("tick %d (%s) failed", self.ticks, phase)
            next_at += interval
            delay = next_at - time.monotonic()
            if delay < 0:  # overran: keep cadence from now on
                next_at, delay = time.monotonic(), 0
            await asyncio.sleep(delay)

    async def tick(self, phase: str) -> None:
        sym = self.cfg.symbol
        if self.gate is not None and not self.gate.may_trade():
            return  # another instance leads (or this one's lease is not valid): not a writer now
        if self.lifecycle is not None and not self.lifecycle.trading:
            probes.skip("runner-" + self.lifecycle.state.lower(), None)
            return
        if outbound.tick_blocked(getattr(self.rest, "guard", None), "POST", "/fapi/v1/order"):
            return  # Retry-After pending or the order endpoint's breaker open (refbot/outbound.py)
        # Re-measure the clock offset every REFBOT_TIME_SYNC_S, and every tick while halted on skew.
        if self.clock_halt is not None or time.monotonic() - self.last_sync >= self.cfg.time_sync_s:
            await self._resync_clock()
        if self.state.needs_resync:
            log.info("tick %s: position not re-synced after user-stream gap; not trading", phase)
            probes.skip("position-unsynced", None)
            return
        if self.limits is not None:
            await self.limits.verify_overdue(self.rest, sym)  # a working order stays pending (refbot/limits.py)
        pending = self.state.in_flight()
        if pending:
            log.info("tick %s: %d order(s) still in flight (%s); waiting", phase, len(pending), pending[0].client_id)
            return
        if self.exits.waiting():
            return  # flaw exit-dropped-silently: waits for a close that was refused
        probes.emit("position", symbol=sym, position=str(self.state.position))  # the position it trades on
        if self.pnl is not None:
            self.pnl.probe()
        est = self.book.estimate(sym, self.state.last_entry_price, self.cfg.max_price_age_ms)
        p = plan(phase, self.state.position, est, self.filters, self.cfg.max_notional_usd)
        if p is None:
            return
        if isinstance(p, SkipPlan):
            log.warning("tick %s: not opening risk: %s (price age %s ms, position %s)", phase, p.reason, p.age_ms, self.state.position)
            probes.skip(p.reason, p.age_ms)
            return
        if self.clock_halt is not None:
            # FIX 003_a7371304fd1017c8.txt#sync-server-time-raises-on-critical-ahead-of: fail closed on
            # a known-bad clock. No new risk; a reduce-only exit only when this tick's sync measured the
            # venue's clock, so that its timestamp is valid.
            if not p.reduce_only or not self.clock_valid:
                log.warning("tick %s: clock offset %d ms beyond %d ms; not sending %s %s", phase, self.clock_halt, self.cfg.max_clock_offset_ms, p.side, p.qty)
                probes.skip("clock-skew", None)
                return
        p = exit_first(self.state.position, p, self.cfg.flags.flaws)  # refbot/exits.py
        if not p.reduce_only and self.killswitch is not None and not self.killswitch.may_open_risk():
            probes.skip("halt", None)
            return
        refused = self.limits.refuse(p) if self.limits is not None else None
        if refused is not None:
            probes.skip(refused, None)
            return
        if not p.reduce_only and self.riskguard is not None and not await self.riskguard.may_open_risk():
            probes.skip("risk-guard", None)
            return
        if not p.reduce_only and self.tiers is not None:
            # The venue's leverage tiers (refbot/tiers.py): cut to the bracket cap, or no risk while unreadable.
            fitted = await self.tiers.fit(p.side, p.qty, self.state.position, p.price, self.filters.step_size)
            if fitted is None:
                probes.skip("leverage-tiers", None)
                return
            if fitted < p.qty:
                if fitted <= 0 or fitted < self.filters.min_qty or (p.price is not None and fitted * Decimal(str(p.price)) < self.filters.min_notional):
                    log.info("tick %s: the leverage cap leaves no room for %s %s; not opening risk", phase, p.side, p.qty)
                    probes.skip("leverage-cap", None)
                    return
                log.info("tick %s: %s %s cut to %s by the leverage cap", phase, p.side, p.qty, fitted)
                p = dataclasses.replace(p, qty=fitted)
        if not p.reduce_only and self.warmup is not None and not self.warmup.ready():
            # The indicator readiness gate (refbot/warmup.py; flaw warmup-nan-deadlock keeps it shut).
            log.warning("tick %s: indicator warmup not ready (%d NaN placeholder(s), gap %s); not opening risk", phase, self.warmup.placeholders, self.warmup.gap)
            probes.skip("warmup", None)
            return
        if not p.reduce_only and self.candles is not None:
            # The decision candle (refbot/candles.py): fresh, and not a volatility spike.
            candle = self.candles.current()
            if candle is None:
                probes.skip("candle-stale", None)
                return
            if candle.range_pct() > MAX_RANGE_PCT:
                log.warning("tick %s: 1m candle range %.2f%% beyond %.2f%%; not opening risk", phase, candle.range_pct(), MAX_RANGE_PCT)
                probes.skip("candle-range", None)
                return
            p = dataclasses.replace(p, candle=candle.probe())
        if not p.reduce_only and self.depth is not None and not self.depth.may_open_risk():
            probes.skip("depth-book", None)
            return
        if p.source == "entry-fallback":
            log.warning("tick %s: no mid for %s; using entry price %s as price estimate", phase, sym, p.price)
        await self.send(p)

    async def send(self, p: OrderPlan) -> None:
        """One trading intent: at most one order on the venue, however its requests fail.

        Every attempt prints an `intent` probe (intent number, clientOrderId, attempt). When a
        POST's outcome is unknown (timeout, lost connection, 5xx, -1007), the hardened bot keeps
        the intent's clientOrderId, looks the order up and re-sends (same id) only when the venue
        says it was never placed. Fix for 003_a7371304fd1017c8.txt#bybitclient-create-order-is-decorated-with-automatic-retry.
        """
        self.intents += 1
        intent = self.intents
        cid = self.ids.next()
        qty = str(p.qty)
        probes.order(cid, p.side, float(p.qty), p.reduce_only, p.price, p.source, p.candle)
        log.info("order %s %s %s %s reduceOnly=%s est=%s (%s) pos=%s", cid, p.side, qty, self.cfg.symbol, p.reduce_only, p.price, p.source, self.state.position)
        attempt = 1
        while True:
            if attempt > 1 and not p.reduce_only and self.killswitch is not None and not self.killswitch.may_resend():
                halted_before_resend(self.state.orders.get(cid), intent)  # refbot/killswitch.py
                return
            order = self.state.orders.get(cid)
            if order is None:
                order = OwnOrder(cid, p.side, p.qty, p.reduce_only, time.monotonic())
                self.state.track(order)
            probes.intent(intent, cid, attempt)
            sent_ms = self.rest.now_ms()
            try:
                resp = await self.rest.new_market_order(self.cfg.symbol, p.side, qty, p.reduce_only, cid)
            except Exception as e:  # CancelledError is not an Exception
                flawed_delay = outbound.flawed_retry_delay(self.cfg.flags, e, attempt)
                if flawed_delay is not None:  # flaws retry-permanent-errors, retry-without-backoff
                    log.warning("order %s attempt %d failed (%s); re-sending it as-is in %.1f s", cid, attempt, e, flawed_delay)
                    attempt += 1
                    await asyncio.sleep(flawed_delay)
                    continue
                if self.killswitch is not None and self.cfg.flags.has(flaws.BREAKER_COUNTS_RETRIES) and outcome_unknown(e):
                    # FLAW 001_0474a2fd1532b929.txt#circuit-breaker-counts-retried-rejections-as-new-errors:
                    # each failed send of the intent counts as a new error, re-sends included.
                    self.killswitch.on_failed_send(e)
                if not outcome_unknown(e):
                    self._rejected(order, e)
                    self.exits.on_failed(self.state, p, e)  # a failed exit stays open (refbot/exitverify.py)
                    if isinstance(e, BinanceError) and e.code == -1021:
                        await self._resync_clock()
                    return
                log.error("order %s (intent %d, attempt %d): request failed (%s: %s); outcome unknown", cid, intent, attempt, type(e).__name__, e)
                if self.cfg.flags.blind_retry_on_timeout:
                    # FLAW 003_a7371304fd1017c8.txt#bybitclient-create-order-is-decorated-with-automatic-retry:
                    # like a retry decorator without a deterministic client id, re-send the same order
                    # under a NEW clientOrderId without asking whether the first one executed.
                    if attempt >= MAX_ATTEMPTS:
                        return  # stays in flight until the user stream tells or it times out
                    attempt += 1
                    await asyncio.sleep(BLIND_RETRY_DELAY_S)
                    cid = self.ids.next()
                    log.warning("order intent %d: blind retry %d as %s", intent, attempt - 1, cid)
                    continue
                # FIX 003_a7371304fd1017c8.txt#bybitclient-create-order-is-decorated-with-automatic-retry:
                # find out what happened to this clientOrderId before doing anything else.
                outcome = await self._resolve(cid, order, sent_ms)
                probes.emit("lookup", intent=intent, clientOrderId=cid, outcome=outcome)
                if outcome != "not-placed":
                    return  # placed (the user stream brings its fills) or still unknown: never a second order
                if attempt >= MAX_ATTEMPTS:
                    order.status = "REJECTED"
                    log.error("order %s: not placed after %d attempts; giving up on intent %d", cid, attempt, intent)
                    return
                attempt += 1
                log.warning("order %s was never placed; re-sending it with the same clientOrderId (attempt %d)", cid, attempt)
                continue
            self._apply_venue_order(order, resp)
            if self.killswitch is not None:
                self.killswitch.on_accepted()
            return

    @staticmethod
    def _apply_venue_order(order: OwnOrder, venue_order: object) -> str:
        """Takes the orderId and a terminal status from the venue's view of the order; returns its status."""
        if not isinstance(venue_order, dict):
            return ""
        if venue_order.get("orderId") is not None:
            order.order_id = int(venue_order["orderId"])
        st = str(venue_order.get("status") or "")
        if st in ("CANCELED", "EXPIRED", "REJECTED", "EXPIRED_IN_MATCH"):
            order.status = st
        return st

    def _rejected(self, order: OwnOrder, e: Exception) -> None:
        if isinstance(e, BinanceError):
            log.error("order %s rejected: code=%s msg=%s", order.client_id, e.code, e.msg)
        else:
            log.error("order %s failed: %s: %s", order.client_id, type(e).__name__, e)
        order.status = "REJECTED"
        if self.lifecycle is not None:
            self.lifecycle.on_rejected(e)
            fsm.on_order_failed(self.lifecycle, e, self.cfg.flags.has(flaws.TRANSIENT_ERROR_STICKS_IN_ERROR))  # refbot/fsm.py
        if self.killswitch is not None:
            self.killswitch.on_rejected(e)

    async def _resync_clock(self) -> None:
        """Re-measures the clock offset (after a -1021, every REFBOT_TIME_SYNC_S, each tick while
        halted). The sync raises ClockSkewError when |offset| > REFBOT_MAX_CLOCK_OFFSET_MS."""
        self.last_sync = time.monotonic()
        max_ms = self.cfg.max_clock_offset_ms
        if self.cfg.flags.reset_clock_offset_on_error:
            # FLAW 003_a7371304fd1017c8.txt#sync-server-time-raises-on-critical-ahead-of: the broad
            # except swallows the drift guard's error and resets the offset to 0; the bot goes on
            # signing and trading with a clock it just found to be wrong.
            try:
                log.info("clock offset re-synced: %d ms", await self.rest.sync_time(max_ms))
            except Exception as te:
                self.rest.offset_ms = 0
                log.warning("clock re-sync failed (%s); offset reset to 0", te)
            return
        # FIX 003_a7371304fd1017c8.txt#sync-server-time-raises-on-critical-ahead-of: fail closed.
        try:
            if self.cfg.flags.has(flaws.BLOCKING_CLOCK_RESYNC):
                # FLAW 004_8a8a9a4995486b8f.txt#C-ADAPTER-02: the resync's HTTP call blocks the
                # loop's thread; a slow time endpoint stalls everything (heartbeat included).
                offset = self.rest.sync_time_blocking(max_ms)
            else:
                # FIX 004_8a8a9a4995486b8f.txt#C-ADAPTER-02: awaited, so the loop keeps running.
                offset = await self.rest.sync_time(max_ms)
        except ClockSkewError as e:
            # The measured offset is the venue's clock: keep it so reduce-only exits stay valid, but
            # open no risk until a later sync finds the offset back within bounds.
            self.rest.offset_ms = e.offset_ms
            self.clock_valid = True
            if self.clock_halt is None:
                log.error("clock offset %d ms exceeds %d ms: halting new risk until it is back within bounds", e.offset_ms, max_ms)
                probes.emit("halt", reason="clock-skew", offsetMs=e.offset_ms)
            self.clock_halt = e.offset_ms
            return
        except Exception as te:
            self.clock_valid = False  # no fresh measurement: while halted, not even exits are signed
            log.warning("clock re-sync failed: %s", te)
            return
        self.clock_valid = True
        log.info("clock offset re-synced: %d ms", offset)
        if self.clock_halt is not None:
            log.warning("clock offset back within bounds (%d ms); resuming", offset)
            probes.emit("resume", reason="clock-skew", offsetMs=offset)
            self.clock_halt = None

    async def _resolve(self, cid: str, order: OwnOrder, sent_ms: int) -> str:
        """After an ambiguous failure: "placed", "not-placed" or "unknown" (lookups failed too).

        -2013 is trusted only once the lost request can no longer execute: the venue refuses a
        request whose timestamp is older than recvWindow, so until then it waits and asks again.
        """
        delay = LOOKUP_DELAY_S
        for _ in range(LOOKUP_TRIES):
            try:
                found = await self.rest.get_order(self.cfg.symbol, cid)
            except BinanceError as e:
                if order.status != "SENDING":
                    return "placed"  # the lookup failed or lags, but the user stream reported the order
                if e.code == -2013:
                    settle_s = (sent_ms + self.recv_window_ms + SETTLE_MARGIN_MS - self.rest.now_ms()) / 1000.0
                    if settle_s <= 0:
                        return "not-placed"
                    log.info("order %s not found yet; asking again in %.1f s, once the request can no longer execute", cid, settle_s)
                    await asyncio.sleep(settle_s)
                    continue
                log.warning("order %s lookup failed: code=%s msg=%s", cid, e.code, e.msg)
            except Exception as e:
                if order.status != "SENDING":
                    return "placed"
                log.warning("order %s lookup failed: %s: %s", cid, type(e).__name__, e)
            else:
                if isinstance(found, dict):
                    st = self._apply_venue_order(order, found)
                    log.info("order %s was placed after all (status %s); not re-sending", cid, st or "?")
                return "placed"
            await asyncio.sleep(delay)
            delay = min(1.0, delay * 2)
        log.error("order %s: outcome still unknown after %d lookups; not re-sending", cid, LOOKUP_TRIES)
        return "unknown"
