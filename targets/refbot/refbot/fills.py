"""Fill bookkeeping: per-order execution statistics (slices, average fill price) built from the
user stream's trades (ORDER_TRADE_UPDATE with x == TRADE), processed by a task of its own, like
the audited strategy's on_order_filled(). The position itself is not kept here (refbot/state.py
owns it); this is the per-order view the strategy logs.

on_order_filled() refuses an execution it cannot apply: a trade id it has already booked (a replay
or a duplicated event) or a cumulative filled quantity (z) below what it saw for that order (events
delivered out of order) raise FillSequenceError.

Hardened (fix for 001_0474a2fd1532b929.txt#M4): the processor logs such an event, counts it and
skips it (degrade, never crash); every diagnostic is computed defensively.

Flaw fill-handler-reraises (001_0474a2fd1532b929.txt#M4): the handler's `except` logs and
re-raises, as on_order_filled() does: the exception ends the fill task, and a dead task stops the
bot (refbot/bot.py), so one duplicated fill event takes the whole trading node down.

Flaw partial-fill-log-divides-by-zero (001_0474a2fd1532b929.txt#C8): the diagnostic line for a
sliced fill reports each slice's growth over the order's previous cumulative quantity (z - l),
which is zero on the order's first slice; the division runs before (outside) the guarded
handler, so the first partial fill raises ZeroDivisionError and ends the task. Dormant while every
order fills in one piece (no PARTIALLY_FILLED).
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from dataclasses import dataclass
from decimal import Decimal

from . import probes
from .state import dec

log = logging.getLogger("refbot.fills")

SEEN_TRADES = 2000  # trade ids remembered for de-duplication


class FillSequenceError(ValueError):
    """An execution that cannot be applied on top of what was booked."""


@dataclass
class OrderFills:
    slices: int = 0
    filled: Decimal = Decimal(0)
    notional: Decimal = Decimal(0)

    @property
    def avg_price(self) -> float:
        return float(self.notional / self.filled) if self.filled > 0 else 0.0


class FillProcessor:
    def __init__(self, reraise: bool, unguarded_diagnostic: bool) -> None:
        self.reraise = reraise
        self.unguarded_diagnostic = unguarded_diagnostic
        self.orders: dict[str, OrderFills] = {}
        self.skipped = 0
        self._seen: set[int] = set()
        self._seen_order: deque[int] = deque()
        self._q: asyncio.Queue[dict] = asyncio.Queue()

    # -- intake (user-stream handler, on the loop) ------------------------------------
    def on_user(self, data: dict) -> None:
        if data.get("e") == "ORDER_TRADE_UPDATE" and (data.get("o") or {}).get("x") == "TRADE":
            self._q.put_nowait(data["o"])

    async def run(self) -> None:
        while True:
            o = await self._q.get()
            self.process(o)

    def process(self, o: dict) -> None:
        self.diagnostic(o)
        try:
            self.on_order_filled(o)
        except Exception as e:
            if self.reraise:
                # FLAW 001_0474a2fd1532b929.txt#M4: logged and re-raised into the task, which dies.
                log.error("on_order_filled failed: %s", e)
                raise
            # FIX 001_0474a2fd1532b929.txt#M4: degrade, do not crash: skip the event and go on.
            self.skipped += 1
            log.warning("fill event skipped: %s", e)
            probes.emit("fill-skipped", clientOrderId=str(o.get("c", "")), reason=str(e))

    def diagnostic(self, o: dict) -> None:
        last, cum = dec(o.get("l")), dec(o.get("z"))
        if o.get("X") != "PARTIALLY_FILLED" and last >= cum:
            return  # filled in one piece: nothing to say about slices
        prev = cum - last
        if self.unguarded_diagnostic:
            # FLAW 001_0474a2fd1532b929.txt#C8: prev is 0 on an order's first slice.
            growth = float(last / prev) * 100
        else:
            # FIX 001_0474a2fd1532b929.txt#C8: no division by a quantity that can be zero.
            growth = float(last / prev) * 100 if prev > 0 else None
        log.info("order %s slice +%s (cum %s, %s)", o.get("c"), last, cum, "first slice" if growth is None else f"+{growth:.1f}% over previous")

    def on_order_filled(self, o: dict) -> None:
        tid = int(o.get("t") or 0)
        cid = str(o.get("c", ""))
        last, cum, price = dec(o.get("l")), dec(o.get("z")), dec(o.get("L"))
        if tid and tid in self._seen:
            raise FillSequenceError(f"trade {tid} of order {cid} already booked (duplicate event)")
        of = self.orders.setdefault(cid, OrderFills())
        if cum < of.filled:
            raise FillSequenceError(f"order {cid}: cumulative filled {cum} below the {of.filled} already booked (out of order)")
        if tid:
            self._seen.add(tid)
            self._seen_order.append(tid)
            if len(self._seen_order) > SEEN_TRADES:
                self._seen.discard(self._seen_order.popleft())
        of.slices += 1
        of.filled = cum
        of.notional += last * price
        if o.get("X") == "FILLED":
            log.info("order %s filled in %d slice(s) at avg %.2f", cid, of.slices, of.avg_price)
            del self.orders[cid]
        elif len(self.orders) > 200:
            self.orders.pop(next(iter(self.orders)))
