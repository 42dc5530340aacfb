"""Cancelling the bot's open orders without touching anyone else's (own-orders-only).

The account may hold orders the bot did not place: an operator's protective stop, a manual hedge,
another tool's orders. The bot's own orders are exactly those whose clientOrderId carries its
prefix (refbot/state.py ClientIds: "rb-<instance>-").

Hardened (flaw off): the stop lists the symbol's open orders (GET /fapi/v1/openOrders) and cancels
each of its own with a targeted DELETE /fapi/v1/order (origClientOrderId); anything else is left
alone and logged. When the list cannot be read the cancel is skipped (logged), never widened.

Flaw cancel-all-on-stop (000_2ae31cbfe79758d1.txt#E-M12, family paper-never-production-own-orders-only):
the cleanup cancels with DELETE /fapi/v1/allOpenOrders, cancel-all for the symbol, as the audited
reconciler's fallback does, so the operator's orders on the account are cancelled with the bot's.
Dormant while the account holds only the bot's own orders.
"""

from __future__ import annotations

import logging
from typing import Any

from . import flaws

log = logging.getLogger("refbot.ownorders")


async def cancel_own_orders(rest: Any, cfg: Any, symbol: str, prefix: str, timeout_s: float = 1.0) -> int:
    """Cancels the bot's open orders of `symbol`; returns how many cancels were sent. Raises when
    the open orders cannot be listed (the caller logs it); a failed targeted cancel is logged."""
    if cfg.flags.has(flaws.CANCEL_ALL_ON_STOP):
        # FLAW 000_2ae31cbfe79758d1.txt#E-M12: cancel-all for the symbol takes every order on the
        # account with it, the operator's included.
        await rest.request("DELETE", "/fapi/v1/allOpenOrders", [("symbol", symbol)], signed=True, timeout_s=timeout_s)
        return 1
    # FIX 000_2ae31cbfe79758d1.txt#E-M12: targeted cancels of the bot's own clientOrderIds only.
    rows = await rest.request("GET", "/fapi/v1/openOrders", [("symbol", symbol)], signed=True, timeout_s=timeout_s)
    sent = 0
    for r in rows if isinstance(rows, list) else []:
        if not isinstance(r, dict) or r.get("symbol") != symbol:
            continue
        cid = str(r.get("clientOrderId") or "")
        if not cid.startswith(prefix):
            log.info("leaving open order %s (orderId %s): not placed by this bot", cid, r.get("orderId"))
            continue
        sent += 1
        try:
            await rest.request("DELETE", "/fapi/v1/order", [("symbol", symbol), ("origClientOrderId", cid)], signed=True, timeout_s=timeout_s)
        except Exception as e:  # e.g. -2011: it filled or ended meanwhile; the others still get theirs
            log.warning("cancel of own order %s failed: %s", cid, e)
    return sent
