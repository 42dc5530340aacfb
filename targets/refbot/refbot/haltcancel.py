"""A halt also stops the risk already on its way: working orders that add risk are cancelled, and
the cancel is verified.

Hardened (fix for 003_a7371304fd1017c8.txt#panic-close-all-marks-orders-cancelled-true-without,
"panic_close_all() marks orders_cancelled=True without checking boolean return from
cancel_all_orders()"): when a halt begins, each of the bot's own working orders that is not
reduce-only is cancelled with a targeted DELETE /fapi/v1/order (origClientOrderId). An order counts
as done only once the venue says it is final: the DELETE's answer, or, after a refusal, a GET of
the order showing CANCELED, EXPIRED or FILLED. Anything else is retried every RETRY_S for at most
BUDGET_S; only when every such order is final does the bot log that the halt's cancels are done,
and when the budget runs out it says which orders are still working. Reduce-only exits are left
to finish: they take risk off.

Flaw halt-cancel-unverified (same finding): one DELETE per order, its outcome ignored, and "working
orders cancelled" logged whatever happened; a refused cancel leaves the order working, and filling,
while the bot reports a clean halt. Dormant unless a halt meets a working order and its cancel fails.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from .state import FINAL_STATUSES, AccountState

log = logging.getLogger("refbot.haltcancel")

RETRY_S = 0.3
BUDGET_S = 10.0
TIMEOUT_S = 1.0


async def _final_at_venue(rest: Any, symbol: str, cid: str) -> bool:
    """Cancels `cid` (or learns it already ended); True once the venue says the order is final."""
    try:
        r = await rest.request("DELETE", "/fapi/v1/order", [("symbol", symbol), ("origClientOrderId", cid)], signed=True, timeout_s=TIMEOUT_S)
        return str((r or {}).get("status")) in FINAL_STATUSES
    except Exception as e:
        log.warning("halt: cancel of %s failed: %s; checking the order", cid, e)
    try:
        r = await rest.request("GET", "/fapi/v1/order", [("symbol", symbol), ("origClientOrderId", cid)], signed=True, timeout_s=TIMEOUT_S)
        return str((r or {}).get("status")) in FINAL_STATUSES
    except Exception as e:
        log.warning("halt: lookup of %s failed: %s", cid, e)
        return False


async def cancel_working_on_halt(rest: Any, state: AccountState, symbol: str, reason: str, verified: bool) -> None:
    working = [o for o in state.in_flight() if not o.reduce_only]
    if not working:
        return
    cids = [o.client_id for o in working]
    if not verified:
        # FLAW 003_a7371304fd1017c8.txt#panic-close-all-marks-orders-cancelled-true-without: one try,
        # the outcome ignored, success reported.
        for cid in cids:
            try:
                await rest.request("DELETE", "/fapi/v1/order", [("symbol", symbol), ("origClientOrderId", cid)], signed=True, timeout_s=TIMEOUT_S)
            except Exception:
                pass
        log.warning("halt (%s): working orders cancelled: %s", reason, cids)
        return
    # FIX (same finding): done only when the venue says so; retried within a budget.
    loop = asyncio.get_running_loop()
    deadline = loop.time() + BUDGET_S
    pending = list(cids)
    while pending:
        pending = [cid for cid in pending if not await _final_at_venue(rest, symbol, cid)]
        if not pending:
            break
        if loop.time() >= deadline:
            log.error("halt (%s): %d working order(s) could not be cancelled within %.0f s: %s", reason, len(pending), BUDGET_S, pending)
            return
        await asyncio.sleep(RETRY_S)
    for o in working:
        if o.status not in FINAL_STATUSES:
            o.status = "CANCELED"  # the venue said final; its user-stream update may follow
    log.warning("halt (%s): %d working order(s) cancelled, confirmed by the venue: %s", reason, len(cids), cids)
