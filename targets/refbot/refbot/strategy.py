"""Deterministic 4-phase inventory cycle: LONG, FLAT, SHORT, FLAT, ...

Each tick the target position is +Q / 0 / -Q (Q = floor_to_step(max_notional / price)) and one
MARKET order closes the gap. The pure planning functions are separate from the async loop so
they can be tested without a venue.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal
from typing import Union

from . import probes
from .config import Config
from .prices import PriceBook, PriceEstimate
from .rest import BinanceError, RestClient
from .state import AccountState, ClientIds, OwnOrder, dec

log = logging.getLogger("refbot.strategy")

PHASES = ("LONG", "FLAT", "SHORT", "FLAT")


@dataclass(frozen=True)
class SymbolFilters:
    tick_size: Decimal
    step_size: Decimal
    min_qty: Decimal
    min_notional: Decimal


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


def floor_to_step(x: Decimal, step: Decimal) -> Decimal:
    if step <= 0:
        return x
    return ((x / step).to_integral_value(rounding=ROUND_FLOOR) * step).quantize(step)


def target_qty(max_notional: float, price: float, f: SymbolFilters) -> Decimal | None:
    """Q for the LONG/SHORT phases, or None when even Q * price is below the min notional."""
    p = Decimal(str(price))
    q = floor_to_step(Decimal(str(max_notional)) / p, f.step_size)
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
    qty = floor_to_step(abs(delta), f.step_size)
    if qty == 0:
        return None
    return OrderPlan("BUY" if delta > 0 else "SELL", qty, is_reduce_only(position, delta), est.price, est.source or "mid")


class Trader:
    def __init__(self, cfg: Config, rest: RestClient, book: PriceBook, state: AccountState, filters: SymbolFilters, ids: ClientIds) -> None:
        self.cfg, self.rest, self.book, self.state, self.filters, self.ids = cfg, rest, book, state, filters, ids
        self.ticks = 0

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
        if self.state.needs_resync:
            log.info("tick %s: position not re-synced after user-stream gap; not trading", phase)
            probes.skip("position-unsynced", None)
            return
        pending = self.state.in_flight()
        if pending:
            log.info("tick %s: %d order(s) still in flight (%s); waiting", phase, len(pending), pending[0].client_id)
            return
        est = self.book.estimate(sym, self.state.last_entry_price, self.cfg.max_price_age_ms)
        p = plan(phase, self.state.position, est, self.filters, self.cfg.max_notional_usd)
        if p is None:
            return
        if isinstance(p, SkipPlan):
            log.warning("tick %s: not opening risk: %s (price age %s ms, position %s)", phase, p.reason, p.age_ms, self.state.position)
            probes.skip(p.reason, p.age_ms)
            return
        if p.source == "entry-fallback":
            log.warning("tick %s: no mid for %s; using entry price %s as price estimate", phase, sym, p.price)
        await self.send(p)

    async def send(self, p: OrderPlan) -> None:
        cid = self.ids.next()
        qty = str(p.qty)
        self.state.track(OwnOrder(cid, p.side, p.qty, p.reduce_only, time.monotonic()))
        probes.order(cid, p.side, float(p.qty), p.reduce_only, p.price, p.source)
        log.info("order %s %s %s %s reduceOnly=%s est=%s (%s) pos=%s", cid, p.side, qty, self.cfg.symbol, p.reduce_only, p.price, p.source, self.state.position)
        order = self.state.orders[cid]
        try:
            resp = await self.rest.new_market_order(self.cfg.symbol, p.side, qty, p.reduce_only, cid)
        except BinanceError as e:
            log.error("order %s rejected: code=%s msg=%s", cid, e.code, e.msg)
            order.status = "REJECTED"
            if e.code == -1021:  # timestamp outside recvWindow: re-measure the clock offset
                try:
                    log.info("clock offset re-synced: %d ms", await self.rest.sync_time())
                except Exception as te:
                    log.warning("clock re-sync failed: %s", te)
            return
        except Exception as e:  # network trouble, timeouts (CancelledError is not an Exception)
            log.error("order %s: request failed (%s: %s); outcome unknown", cid, type(e).__name__, e)
            return  # stays in flight until the user stream tells or it times out
        if isinstance(resp, dict):
            if resp.get("orderId") is not None:
                order.order_id = int(resp["orderId"])
            st = str(resp.get("status") or "")
            if st in ("CANCELED", "EXPIRED", "REJECTED", "EXPIRED_IN_MATCH"):
                order.status = st
