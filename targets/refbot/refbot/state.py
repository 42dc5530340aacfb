"""Position and own-order tracking (from positionRisk + user-stream events), client order ids."""

from __future__ import annotations

import logging
import os
import time
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

log = logging.getLogger("refbot.state")

FINAL_STATUSES = frozenset({"FILLED", "CANCELED", "EXPIRED", "REJECTED", "EXPIRED_IN_MATCH"})
IN_FLIGHT_TIMEOUT_S = 5.0


def dec(v: Any, default: str = "0") -> Decimal:
    try:
        return Decimal(str(v))
    except (InvalidOperation, ValueError):
        return Decimal(default)


@dataclass
class OwnOrder:
    client_id: str
    side: str
    qty: Decimal
    reduce_only: bool
    sent_at: float  # monotonic
    status: str = "SENDING"
    order_id: int | None = None
    filled: Decimal = Decimal(0)


class AccountState:
    def __init__(self, symbol: str) -> None:
        self.symbol = symbol
        self.position = Decimal(0)
        self.entry_price = 0.0
        self.last_entry_price = 0.0  # last non-zero entry price, remembered while flat
        self._snapshot_T = 0  # transaction time of the last absolute position snapshot
        self.orders: dict[str, OwnOrder] = {}
        self.needs_resync = False  # hardened: set on user-stream loss, cleared by positionRisk
        # Flaw book-order-qty-on-first-fill (refbot/ledger.py): a portfolio ledger that owns the position.
        self.ledger: Any = None
        # Fix for 004_8a8a9a4995486b8f.txt#H-PORT-04 (silent budget-drift correction): every change of
        # the position taken from the venue's snapshot, and every fill of an order this bot did not
        # place, is logged with its amount before it is applied. Flaw drift-corrected-silently: off.
        self.audit = True

    # -- absolute snapshots -------------------------------------------------------------
    def set_position(self, amount: Decimal, entry: float, as_of_ms: int, source: str = "snapshot") -> None:
        if amount != self.position and self.audit:
            # FIX 004_8a8a9a4995486b8f.txt#H-PORT-04: an adopted correction is logged, with its amount.
            log.info("books: %s position %s -> %s from the venue's %s (change %s)", self.symbol, self.position, amount, source, amount - self.position)
        self.position = amount
        self.entry_price = entry if amount != 0 else 0.0
        if entry > 0:
            self.last_entry_price = entry
        self._snapshot_T = max(self._snapshot_T, as_of_ms)

    def apply_position_risk(self, rows: list, as_of_ms: int) -> None:
        amt, entry = Decimal(0), 0.0
        for r in rows or []:
            if r.get("symbol") != self.symbol:
                continue
            amt += dec(r.get("positionAmt"))
            ep = float(r.get("entryPrice") or 0)
            if ep > 0:
                entry = ep
        self.set_position(amt, entry, as_of_ms, "positionRisk")

    def apply_account(self, acct: dict, as_of_ms: int) -> None:
        rows = [
            {"symbol": p.get("symbol"), "positionAmt": p.get("positionAmt"), "entryPrice": p.get("entryPrice", 0)}
            for p in (acct or {}).get("positions", [])
        ]
        if any(r["symbol"] == self.symbol for r in rows):
            self.apply_position_risk(rows, as_of_ms)

    # -- user stream ------------------------------------------------------------------
    def on_account_update(self, ev: dict) -> None:
        if self.ledger is not None:
            return  # FLAW 004_8a8a9a4995486b8f.txt#H-ENG-04: the ledger ignores the venue's snapshot
        T = int(ev.get("T") or ev.get("E") or 0)
        for p in (ev.get("a") or {}).get("P", []) or []:
            if p.get("s") == self.symbol:
                self.set_position(dec(p.get("pa")), float(p.get("ep") or 0), T, "ACCOUNT_UPDATE")

    def on_order_update(self, ev: dict) -> None:
        o = ev.get("o") or {}
        if o.get("s") != self.symbol:
            return
        T = int(o.get("T") or ev.get("T") or ev.get("E") or 0)
        own = self.orders.get(str(o.get("c", "")))
        if own is not None:
            own.status = str(o.get("X", own.status))
            if o.get("i") is not None:
                own.order_id = int(o["i"])
            own.filled = max(own.filled, dec(o.get("z")))
        if o.get("x") == "TRADE" and self.ledger is not None:
            self.ledger.on_trade(self, own, float(o.get("L") or 0))
        elif o.get("x") == "TRADE":
            last = dec(o.get("l"))
            if last > 0 and T > self._snapshot_T:
                # Not yet reflected in an absolute snapshot (ACCOUNT_UPDATE/positionRisk with T >= this).
                delta = last if o.get("S") == "BUY" else -last
                if own is None and self.audit:
                    # FIX 004_8a8a9a4995486b8f.txt#H-PORT-04: someone else traded this account.
                    log.warning("books: fill of order %s this bot did not place: %s position %s -> %s (change %s)", o.get("c"), self.symbol, self.position, self.position + delta, delta)
                self._apply_fill(delta, float(o.get("L") or 0))

    def _apply_fill(self, delta: Decimal, price: float) -> None:
        old = self.position
        new = old + delta
        if old == 0 or (old > 0) == (delta > 0):
            if price > 0 and new != 0:
                self.entry_price = (float(abs(old)) * self.entry_price + float(abs(delta)) * price) / float(abs(new))
        elif new == 0:
            self.entry_price = 0.0
        elif (new > 0) != (old > 0):
            self.entry_price = price
        self.position = new
        if self.entry_price > 0:
            self.last_entry_price = self.entry_price

    # -- own orders -------------------------------------------------------------------
    def track(self, order: OwnOrder) -> None:
        self.orders[order.client_id] = order
        if len(self.orders) > 200:  # keep the table small; drop oldest final ones
            for cid in [c for c, o in self.orders.items() if o.status in FINAL_STATUSES][:100]:
                del self.orders[cid]

    def in_flight(self, now: float | None = None) -> list[OwnOrder]:
        now = time.monotonic() if now is None else now
        out = []
        for o in self.orders.values():
            if o.status in FINAL_STATUSES:
                continue
            if now - o.sent_at > IN_FLIGHT_TIMEOUT_S:
                log.warning("order %s still %s after %.0fs; no longer waiting for it", o.client_id, o.status, now - o.sent_at)
                o.status = "EXPIRED"
                continue
            out.append(o)
        return out


class ClientIds:
    """`rb-<instance>-<counter>`; the counter persists in STATE_DIR so restarts never reuse ids."""

    def __init__(self, instance_id: str, state_dir: str | None, reset_on_corrupt: bool = False) -> None:
        from .recovery import STATE_FILE, read_counter  # load/validate/quarantine (refbot/recovery.py)

        self.prefix = f"rb-{instance_id}-"
        self.path = os.path.join(state_dir, STATE_FILE) if state_dir else None
        self.warm = self.path is not None and os.path.exists(self.path)  # an earlier process ran here
        self.counter = read_counter(self.path, reset_on_corrupt) if self.path else 0

    def next(self) -> str:
        from .recovery import write_counter

        self.counter += 1
        if self.path:
            try:
                write_counter(self.path, self.counter)
            except OSError as e:
                log.warning("cannot persist order counter: %s", e)
        cid = f"{self.prefix}{self.counter}"
        assert len(cid) <= 36, cid
        return cid
