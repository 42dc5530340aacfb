"""Exposure limits that count pending orders, and a cap on every order's size.

Family limits-count-pending. Before every risk-increasing order the trader asks `refuse(plan)`:

- exposure limit (fix for 002_3e6ca2bf6dfde12d.txt#R3, no runtime position limits, and
  003_a7371304fd1017c8.txt#pre-trade-safety-path-calls-safetychecks-run-all, the max-exposure
  check run without the new order's exposure): the position, plus what the bot's own working
  orders on the same side may still add (their unfilled rest), plus the new order, valued at the
  order's price, must stay within REFBOT_MAX_EXPOSURE_USD (+ LIMIT_SLACK for rounding and drift;
  default 3 x REFBOT_MAX_NOTIONAL_USD, the sizing target: a limit equal to the target would also
  refuse every order a sizing bug doubles, hiding that bug's own flaw from its own check).
  Working orders are counted for as long as the venue says they work: an order still working when
  the in-flight wait (state.IN_FLIGHT_TIMEOUT_S) runs out is looked up (`verify_overdue`) instead
  of being assumed gone.
- order cap (fix for 000_2ae31cbfe79758d1.txt#S-C1, no maximum notional / quantity guard): the
  order's quantity valued at an independent reference price (the REST mid of refbot/restmid.py,
  when read in the last REFERENCE_MAX_AGE_S) must stay within the same notional bound, and within
  REFBOT_MAX_ORDER_QTY when set. Without a fresh REST mid the order is valued at its own price
  estimate (only the quantity bound is then independent of the feed). A price print far off the market (a scaled quote that
  passes the sanity checks) sizes a huge order off the stream's mid; valued at the reference it is
  refused and logged.

Flaws:
- exposure-ignores-pending: like run_all_checks() without additional_exposure, only the current
  position is checked against the limit, and an order still working after the in-flight wait is
  assumed done, so the next order is planned on the filled position alone. Dormant while every
  order ends within IN_FLIGHT_TIMEOUT_S.
- no-order-size-cap: no order cap at all. Dormant while the stream's prices are near the market.
Reduce-only orders are never refused: they cannot add exposure.
"""

from __future__ import annotations

import logging
import time
from decimal import Decimal
from typing import Any, Callable

from . import flaws
from .rest import BinanceError
from .state import IN_FLIGHT_TIMEOUT_S, AccountState

log = logging.getLogger("refbot.limits")

LIMIT_SLACK = 0.05  # the order's price estimate and the venue's fill price differ a little
WORKING = frozenset({"NEW", "PARTIALLY_FILLED"})
PENDING = frozenset({"SENDING", "NEW", "PARTIALLY_FILLED"})
VERIFY_BEFORE_S = IN_FLIGHT_TIMEOUT_S - 1.0  # look a working order up before the wait runs out
REFERENCE_MAX_AGE_S = 3.0


def pending_exposure(state: AccountState, side: str) -> Decimal:
    """Signed quantity the bot's own working orders on `side` may still add (reduce-only ones never add)."""
    total = Decimal(0)
    for o in state.orders.values():
        if o.side != side or o.reduce_only or o.status not in PENDING:
            continue
        rest = max(Decimal(0), o.qty - o.filled)
        total += rest if side == "BUY" else -rest
    return total


class Limits:
    def __init__(
        self,
        state: AccountState,
        flaw_set: frozenset[str],
        max_exposure_usd: float,
        max_order_qty: float = 0.0,
        rest_mid: Callable[[], tuple[float, float] | None] | None = None,
    ) -> None:
        self.state = state
        self.ignore_pending = flaws.EXPOSURE_IGNORES_PENDING in flaw_set
        self.no_cap = flaws.NO_ORDER_SIZE_CAP in flaw_set
        self.max_notional = max_exposure_usd * (1 + LIMIT_SLACK)
        self.max_order_qty = Decimal(str(max_order_qty)) if max_order_qty > 0 else None
        self.rest_mid = rest_mid  # () -> (mid, monotonic time read) of the last REST mid, or None

    async def verify_overdue(self, rest: Any, symbol: str) -> None:
        """FIX #R3: an order the venue reported working is looked up before the in-flight wait
        gives up on it; while the venue says it works, the wait starts over (it stays pending)."""
        if self.ignore_pending:
            return  # FLAW #pre-trade-safety-path-calls-safetychecks-run-all: assumed done after the wait
        now = time.monotonic()
        for o in list(self.state.orders.values()):
            if o.status not in WORKING or now - o.sent_at < VERIFY_BEFORE_S:
                continue
            try:
                found = await rest.get_order(symbol, o.client_id)
            except (BinanceError, Exception) as e:  # noqa: BLE001 - a failed lookup proves nothing
                log.warning("order %s still %s; lookup failed (%s)", o.client_id, o.status, e)
                continue
            st = str(found.get("status") or "") if isinstance(found, dict) else ""
            if st in WORKING:
                log.info("order %s still %s at the venue (executed %s of %s): still pending", o.client_id, st, found.get("executedQty"), o.qty)
                o.status = st
                o.sent_at = time.monotonic()  # keep waiting for it: it still counts against the limit

    def _reference(self, fallback: float) -> float:
        if self.rest_mid is not None:
            r = self.rest_mid()
            if r is not None and time.monotonic() - r[1] <= REFERENCE_MAX_AGE_S and r[0] > 0:
                return r[0]
        return fallback

    def refuse(self, plan: Any) -> str | None:
        """None when `plan` (an OrderPlan) may go out, else the reason it may not."""
        if plan.reduce_only or plan.price is None:
            return None
        pos = self.state.position
        signed = plan.qty if plan.side == "BUY" else -plan.qty
        price = float(plan.price)
        if self.ignore_pending:
            # FLAW 003_a7371304fd1017c8.txt#pre-trade-safety-path-calls-safetychecks-run-all:
            # the max-exposure check sees the current exposure only, not this order nor pending ones.
            projected = pos
        else:
            # FIX 002_3e6ca2bf6dfde12d.txt#R3: position + pending same-side orders + this order.
            projected = pos + pending_exposure(self.state, plan.side) + signed
        if abs(float(projected)) * price > self.max_notional:
            log.error("order %s %s refused: exposure %s (position %s) beyond %.2f USD", plan.side, plan.qty, projected, pos, self.max_notional)
            return "exposure-limit"
        if self.no_cap:
            return None  # FLAW 000_2ae31cbfe79758d1.txt#S-C1: no maximum notional / quantity guard
        # FIX 000_2ae31cbfe79758d1.txt#S-C1: bounded quantity, valued at an independent price.
        if self.max_order_qty is not None and plan.qty > self.max_order_qty:
            log.error("order %s %s refused: quantity above REFBOT_MAX_ORDER_QTY %s", plan.side, plan.qty, self.max_order_qty)
            return "order-cap"
        ref = self._reference(price)
        if float(plan.qty) * ref > self.max_notional:
            log.error(
                "order %s %s refused: %.2f USD at reference price %.2f (sized at %.2f) beyond %.2f USD",
                plan.side, plan.qty, float(plan.qty) * ref, ref, price, self.max_notional,
            )
            return "order-cap"
        return None
