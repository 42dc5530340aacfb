"""FLAW book-order-qty-on-first-fill: a portfolio ledger kept beside the venue's position.

Reproduces 004_8a8a9a4995486b8f.txt#C-PORT-03 (a partial fill commits the order's full reserved
amount) together with 004_8a8a9a4995486b8f.txt#H-ENG-04 (portfolio and engine keep two sources of
truth for positions): the ledger books an order's whole quantity into the position on its first
TRADE execution and ignores every later slice, and the position the bot trades on is the ledger's,
so the venue's ACCOUNT_UPDATE snapshots never correct it. Dormant while orders fill in one
execution (l == q); a partial fill whose rest expires leaves a phantom position.

The fixed path (AccountState without a ledger) applies each execution's last-filled quantity `l`
and lets every absolute snapshot (ACCOUNT_UPDATE, positionRisk) overwrite the position.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .state import AccountState, OwnOrder

log = logging.getLogger("refbot.ledger")


class OrderQtyLedger:
    def __init__(self) -> None:
        self.booked: set[str] = set()

    def on_trade(self, state: AccountState, own: OwnOrder | None, price: float) -> None:
        """One TRADE execution of an order; only the bot's own orders are in its ledger."""
        if own is None or own.client_id in self.booked:
            return
        self.booked.add(own.client_id)
        # FLAW 004_8a8a9a4995486b8f.txt#C-PORT-03: the full order quantity, not the execution's l.
        state._apply_fill(own.qty if own.side == "BUY" else -own.qty, price)
        log.info("ledger: booked %s %s of order %s; position %s", own.side, own.qty, own.client_id, state.position)
