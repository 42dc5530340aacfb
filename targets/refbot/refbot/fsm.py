"""What a failed order does to the runner's state machine (refbot/graceful.py Lifecycle).

Hardened (fix for 004_8a8a9a4995486b8f.txt#H-FSM-01): only account-level rejections
(graceful.FATAL_REJECT_CODES) are terminal (ERROR until an operator restarts the bot). A retryable
rejection (the venue overloaded or rate-limiting, -1008 / -1003 / -1001 / -1015, or a request the
bot's own outbound guard refused) leaves the runner RUNNING: the next tick trades again once the
venue answers.

Flaw transient-error-sticks-in-error (004_8a8a9a4995486b8f.txt#H-FSM-01): like the audited
transition table (fsm/transitions.py, "lacks ERROR->IDLE"), any failed order moves the runner to
ERROR, and the table has no edge out of ERROR: after a few seconds of an overloaded venue the bot
never trades again, while its process, heartbeat and streams look healthy. Dormant until an order
is refused with a retryable code.
"""

from __future__ import annotations

import logging
from typing import Any

from .outbound import RequestBlocked
from .rest import BinanceError

log = logging.getLogger("refbot.fsm")

RETRYABLE_CODES = frozenset({-1001, -1003, -1008, -1015})


def retryable(e: BaseException) -> bool:
    if isinstance(e, RequestBlocked):
        return True
    return isinstance(e, BinanceError) and e.code in RETRYABLE_CODES


def on_order_failed(lifecycle: Any, e: BaseException, sticky: bool) -> None:
    """Called after Lifecycle.on_rejected for every definitely failed order."""
    if lifecycle is None or not sticky or not retryable(e) or lifecycle.state != "RUNNING":
        return
    # FLAW 004_8a8a9a4995486b8f.txt#H-FSM-01: X -> ERROR on any failure, and no ERROR -> RUNNING edge.
    log.error("order failed (%s); runner -> ERROR", e)
    lifecycle.to("ERROR", f"order failed: {e}")
