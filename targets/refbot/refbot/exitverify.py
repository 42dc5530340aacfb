"""What a failed exit leaves behind: the position it did not close.

Family exits-reduce-only-verified. When the venue refuses an exit (a reduce-only order answered
with a definite rejection, e.g. -1112 "No orders on book" while the book is empty), nothing was
closed. The hardened bot keeps the position it had (the venue's, from the user stream and its
snapshots), says so, and the next tick plans from it: the exit is re-sent as a reduce-only order
(refbot/exits.py) until the venue shows the position flat.

Only rejections that say the close cannot execute in the market as it is (MARKET_REFUSALS: no
orders on book, order rejected, price protection) wake the flaws, as in the audited close paths
that fail when they cannot price the order; clock, auth and rate-limit rejections do not.

FLAW exit-assumed-done: like the audited FLAT path that reports OrderResult(success=True) after
submit_close() failed (003_a7371304fd1017c8.txt#exit-flat-path-reports-orderresult-success-true-unconditionally),
the failed exit is booked as done: the bot's position is moved as if the order had filled, so the
exit is never retried and the next phase is planned on a position the bot does not have.

FLAW exit-dropped-silently: like market_close() returning None when it cannot price the close
(000_2ae31cbfe79758d1.txt#S-M8) and the close path abandoned when its private SDK helper fails
(000_2ae31cbfe79758d1.txt#S-H5), the failure is swallowed: the caller takes the None for a close
still on its way and waits for its fill, which never comes, so the exit is never re-sent and the
position stays open. Both are dormant while exits are accepted.
"""

from __future__ import annotations

import logging
from typing import Any

from . import flaws
from .rest import BinanceError
from .state import AccountState

log = logging.getLogger("refbot.exitverify")

MARKET_REFUSALS = frozenset({-1112, -2010, -4131})  # no orders on book, rejected, PERCENT_PRICE/slippage


class ExitVerifier:
    def __init__(self, flaw_set: frozenset[str]) -> None:
        self.assume_done = flaws.EXIT_ASSUMED_DONE in flaw_set
        self.drop_silently = flaws.EXIT_DROPPED_SILENTLY in flaw_set
        self.awaiting: Any = None  # flaw exit-dropped-silently: the close it believes is on its way

    def on_failed(self, state: AccountState, plan: Any, e: Exception) -> None:
        """A definite rejection of `plan` (an OrderPlan); only exits (reduce-only) are handled here."""
        if not plan.reduce_only:
            return
        market = isinstance(e, BinanceError) and e.code in MARKET_REFUSALS
        if market and self.assume_done:
            # FLAW 003_a7371304fd1017c8.txt#exit-flat-path-reports-orderresult-success-true-unconditionally:
            # success reported unconditionally; the portfolio books the close that never happened.
            state._apply_fill(plan.qty if plan.side == "BUY" else -plan.qty, float(plan.price or 0))
            log.info("exit %s %s done; position now %s", plan.side, plan.qty, state.position)
            return
        if market and self.drop_silently:
            # FLAW 000_2ae31cbfe79758d1.txt#S-M8: market_close returned None; nobody looks at why.
            self.awaiting = plan
            return
        # FIX: nothing was closed; the position stays what the venue says and the exit is retried.
        log.warning("exit %s %s failed (%s): position %s still open; retrying it reduce-only next tick", plan.side, plan.qty, e, state.position)

    def waiting(self) -> bool:
        """Flaw exit-dropped-silently: True while it waits for the fill of a close that was refused."""
        return self.awaiting is not None
