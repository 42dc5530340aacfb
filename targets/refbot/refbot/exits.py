"""Exits are reduce-only: a position on the wrong side of the target is closed first.

Fix for 001_0474a2fd1532b929.txt#M2 (flatten orders sent with reduce_only=False can open new
positions): when the planned order would take the position through zero (the previous exit failed
or filled only in part, so the next phase finds the old side still open), the bot sends only a
reduce-only exit of the whole position. The venue cuts a reduce-only order to what is open, so it
can never open or flip a position even if the bot's view is stale. The new side is opened by a
later tick, once the user stream has shown the position flat.

FLAW flip-without-reduce-only-exit: one plain order closes the old side and opens the new one.
Dormant while every exit succeeds in full (LONG, FLAT, SHORT, FLAT never crosses zero then).
"""

from __future__ import annotations

import logging
from decimal import Decimal

from .flaws import FLIP_WITHOUT_REDUCE_ONLY_EXIT

log = logging.getLogger("refbot.exits")


def crosses_zero(position: Decimal, side: str, qty: Decimal) -> bool:
    after = position + (qty if side == "BUY" else -qty)
    return position != 0 and after != 0 and (after > 0) != (position > 0)


def exit_first(position: Decimal, plan, flaws: frozenset[str]):
    """The order to send for `plan` (an OrderPlan): itself, or a reduce-only exit of `position`."""
    if plan.reduce_only or not crosses_zero(position, plan.side, plan.qty):
        return plan
    if FLIP_WITHOUT_REDUCE_ONLY_EXIT in flaws:
        # FLAW 001_0474a2fd1532b929.txt#M2: the flatten is folded into a plain order that opens the
        # other side; nothing limits it to the position the venue really has.
        return plan
    log.warning("position %s is on the wrong side of the target: closing it reduce-only before opening %s", position, plan.side)
    return type(plan)(plan.side, abs(position), True, plan.price, plan.source)
