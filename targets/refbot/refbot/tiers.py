"""Leverage tiers from the venue: the notional cap of the account's bracket on the symbol.

Before every risk-increasing order the trader asks `fit(plan, position, step)`:
- the account's leverage on the symbol, GET /fapi/v2/positionRisk?symbol=S (`leverage`), and
- the symbol's brackets, GET /fapi/v1/leverageBracket?symbol=S;
cap = the largest notionalCap of the brackets whose initialLeverage is at least that leverage (what
Binance calls maxNotionalValue). Both are read once and again every REFRESH_S. The order is cut
so that |position + order| * price stays within HEADROOM * cap (floored to the step); an order
the cap leaves nothing of is not sent (probe skip "leverage-cap").

Hardened (fix for 003_a7371304fd1017c8.txt#application-builds-riskmanager-without-passing-exchange-manager:
risk checks use venue data or refuse): tiers that cannot be read mean no new risk until they are
read (logged once, probe skip "leverage-tiers"); the read is retried on every tick that would open
risk. Flaw risk-tiers-default: the risk manager was built without its exchange handle, so the
helper answers its default, no cap, without reading anything.
"""

from __future__ import annotations

import logging
import time
from decimal import ROUND_FLOOR, Decimal
from typing import Any

from . import flaws

log = logging.getLogger("refbot.tiers")

BRACKET_PATH = "/fapi/v1/leverageBracket"
HEADROOM = Decimal("0.95")  # room for the price to move between the estimate and the fill
REFRESH_S = 300.0


def cap_for(brackets: list, leverage: int) -> Decimal:
    """Binance's maxNotionalValue: the largest cap among brackets granting at least `leverage` (0 if none)."""
    cap = Decimal(0)
    for b in brackets:
        if isinstance(b, dict) and int(b.get("initialLeverage", 0)) >= leverage:
            cap = max(cap, Decimal(str(b["notionalCap"])))
    return cap


def fitted_qty(qty: Decimal, signed_side: int, position: Decimal, price: Decimal, cap: Decimal, step: Decimal) -> Decimal:
    """The largest part of the order (a multiple of step) that keeps |position + order| * price within cap."""
    room = cap / price  # the largest |position| allowed
    if signed_side > 0:
        most = room - position
    else:
        most = room + position
    if most <= 0:
        return Decimal(0)
    if step > 0:
        most = (most / step).to_integral_value(rounding=ROUND_FLOOR) * step
    return min(qty, most)


class LeverageTiers:
    def __init__(self, rest: Any, symbol: str, flaw_set: frozenset[str]) -> None:
        self.rest = rest
        self.symbol = symbol
        self.default = flaws.RISK_TIERS_DEFAULT in flaw_set
        self.cap: Decimal | None = None
        self.read_at = 0.0
        self.failing = False

    async def _read(self) -> Decimal:
        rows = await self.rest.position_risk(self.symbol)
        leverage = next((int(r["leverage"]) for r in rows if isinstance(r, dict) and r.get("symbol") == self.symbol), None)
        if leverage is None:
            raise ValueError(f"no {self.symbol} row in positionRisk")
        body = await self.rest.request("GET", BRACKET_PATH, [("symbol", self.symbol)], signed=True)
        brackets = body.get("brackets") if isinstance(body, dict) else None
        if not isinstance(brackets, list) or not brackets:
            raise ValueError(f"{BRACKET_PATH}: no brackets for {self.symbol}")
        cap = cap_for(brackets, leverage)
        log.info("leverage tiers of %s: %sx allows %s USDT of position", self.symbol, leverage, cap)
        return cap

    async def current_cap(self) -> Decimal | None:
        """The cap (HEADROOM applied), or None when the tiers cannot be read (no new risk)."""
        if self.default:
            # FLAW 003_a7371304fd1017c8.txt#application-builds-riskmanager-without-passing-exchange-manager:
            # no exchange handle, so the helper returns its default (unlimited) without asking.
            return Decimal("Infinity")
        if self.cap is None or time.monotonic() - self.read_at >= REFRESH_S:
            try:
                self.cap = await self._read()
                self.read_at = time.monotonic()
                if self.failing:
                    log.warning("leverage tiers readable again; resuming")
                self.failing = False
            except Exception as e:  # FIX: venue data or refuse
                if not self.failing:
                    log.error("leverage tiers of %s unreadable (%s): no new risk until they are read", self.symbol, e)
                self.failing = True
                self.cap = None
                return None
        return self.cap * HEADROOM

    async def fit(self, side: str, qty: Decimal, position: Decimal, price: float | None, step: Decimal) -> Decimal | None:
        """The quantity to send (maybe cut to the cap), 0 when the cap leaves nothing, None when the tiers are unreadable."""
        cap = await self.current_cap()
        if cap is None:
            return None
        if cap.is_infinite():
            return qty
        if price is None or price <= 0:
            return Decimal(0)  # a risk-increasing order always has a price; without one it is not sized

        return fitted_qty(qty, 1 if side == "BUY" else -1, position, Decimal(str(price)), cap, step)
