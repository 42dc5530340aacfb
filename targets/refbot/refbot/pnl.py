"""Realized PnL of the bot's own trades, the portfolio's figure the operator and reports read.

Family fills-positions-budget-match-venue. Every TRADE execution on the user stream (each trade id
once) moves a position and an average entry kept here, like the audited portfolio; the part of an
execution that closes the position realizes (price - entry) * closed for a long and
(entry - price) * closed for a short. The cumulative figure is printed at every trading tick as
`{"probe":"pnl","symbol","realized"}` (with the position probe), so it can be compared with the
venue's realized PnL of the same fills.

FLAW short-pnl-sign-error (004_8a8a9a4995486b8f.txt#H-PORT-01, PnL calculation error for shorts):
the close of a short is booked as (price - entry) * closed, the long formula, so a losing short
shows a profit and a winning one a loss. Dormant while the bot never closes a short (or closes it
at its entry price).
"""

from __future__ import annotations

import logging
from collections import deque
from decimal import Decimal

from . import flaws, probes
from .state import AccountState, dec

log = logging.getLogger("refbot.pnl")

SEEN_TRADES = 2000


class PnlTracker:
    def __init__(self, symbol: str, flaw_set: frozenset[str]) -> None:
        self.symbol = symbol
        self.sign_error = flaws.SHORT_PNL_SIGN_ERROR in flaw_set
        self.started = False
        self.position = Decimal(0)
        self.entry = Decimal(0)
        self.realized = Decimal(0)
        self._seen: deque[int] = deque(maxlen=SEEN_TRADES)

    def on_order_update(self, ev: dict, state: AccountState) -> None:
        """An ORDER_TRADE_UPDATE, before `state` applies it (its ACCOUNT_UPDATE comes after it)."""
        o = ev.get("o") or {}
        if o.get("s") != self.symbol or o.get("x") != "TRADE":
            return
        tid = int(o.get("t") or 0)
        if tid and tid in self._seen:
            return  # a duplicated execution is booked once
        if tid:
            self._seen.append(tid)
        if not self.started:  # the position the bot started from (recovered at start-up)
            self.started = True
            self.position, self.entry = state.position, Decimal(str(state.entry_price))
        qty, price = dec(o.get("l")), dec(o.get("L"))
        if qty <= 0:
            return
        signed = qty if o.get("S") == "BUY" else -qty
        before = self.position
        after = before + signed
        if before == 0 or (before > 0) == (signed > 0):
            self.entry = (abs(before) * self.entry + qty * price) / abs(after)
        else:
            closed = min(qty, abs(before))
            if before > 0 or self.sign_error:
                # FLAW 004_8a8a9a4995486b8f.txt#H-PORT-01 (for a short): the long formula.
                pnl = (price - self.entry) * closed
            else:
                pnl = (self.entry - price) * closed  # FIX: a short gains when the price falls
            self.realized += pnl
            log.info("realized %s on %s %s @ %s (entry %s); total %s", pnl, o.get("S"), closed, price, self.entry, self.realized)
            if after == 0:
                self.entry = Decimal(0)
            elif (after > 0) != (before > 0):
                self.entry = price
        self.position = after

    def probe(self) -> None:
        probes.emit("pnl", symbol=self.symbol, realized=str(self.realized))
