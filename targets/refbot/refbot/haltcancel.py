"""A halt also stops the risk already on its way: working orders that add risk are cancelled, and
the cancel is verified.

Hardened (fix for 003_a7371304fd1017c8.txt#panic-close-all-marks-orders-cancelled-true-without,
"panic_close_all() marks orders_cancelled=True without checking boolean return from
cancel_all_orders()"): when a halt begins, the bot's working orders that are not reduce-only are
cancelled: the ones it tracks, and the ones the venue lists under its own clientOrderId prefix
(GET /fapi/v1/openOrders: orders an earlier process of it left working). Two or more go in one
DELETE /fapi/v1/batchOrders (origClientOrderIdList, at most 10 a batch); one goes in a targeted
DELETE /fapi/v1/order. An order counts as done only once the venue says it is final: its entry in
the batch answer (each entry is read: an order with a final status, or {code, msg} when that
cancel failed), the DELETE's answer, or, after a refusal, a GET of the order showing CANCELED,
EXPIRED or FILLED. Anything else is retried, one order at a time, every RETRY_S for at most
BUDGET_S; only when every such order is final does the bot log that the halt's cancels are done,
and when the budget runs out it says which orders are still working. Reduce-only exits are left
to finish: they take risk off.

Flaw halt-cancel-unverified (same finding): one DELETE per order, its outcome ignored, and "working
orders cancelled" logged whatever happened; a refused cancel leaves the order working, and filling,
while the bot reports a clean halt. Dormant unless a halt meets a working order and its cancel fails.

Flaw batch-cancel-shape-mismatch (003_a7371304fd1017c8.txt#batch-cancel-amend-parse-shape-mismatch-code-reads:
"code reads result["result"]["list"] while client already returns extracted result"): the batch
answer is read as an envelope {"orders": [...]}; the client has already returned the list, so no
entry is ever read, and the HTTP 200 counts as every order cancelled. An entry that failed leaves
its order working while the bot reports a clean halt. Dormant unless a batch entry fails.
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

from .state import FINAL_STATUSES, AccountState

log = logging.getLogger("refbot.haltcancel")

RETRY_S = 0.3
BUDGET_S = 10.0
TIMEOUT_S = 1.0
BATCH_PATH = "/fapi/v1/batchOrders"
MAX_BATCH = 10  # Binance's limit per DELETE /fapi/v1/batchOrders


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


async def _batch_cancel(rest: Any, symbol: str, cids: list[str], shape_mismatch: bool) -> list[str]:
    """One DELETE batchOrders for up to MAX_BATCH orders; returns the ones the answer does not show final."""
    ids = json.dumps(cids, separators=(",", ":"))
    try:
        r = await rest.request("DELETE", BATCH_PATH, [("symbol", symbol), ("origClientOrderIdList", ids)], signed=True, timeout_s=TIMEOUT_S)
    except Exception as e:
        log.warning("halt: batch cancel of %d order(s) failed: %s; checking each", len(cids), e)
        return list(cids)
    if shape_mismatch:
        # FLAW 003_a7371304fd1017c8.txt#batch-cancel-amend-parse-shape-mismatch-code-reads: the answer
        # is read as an envelope the client already took off; no entry is seen, the 200 is "all done".
        entries = r.get("orders", []) if isinstance(r, dict) else []
        return [str(e.get("clientOrderId")) for e in entries if isinstance(e, dict) and "code" in e]
    # FIX (same finding): the answer is the list of entries, one per requested order, in order.
    entries = r if isinstance(r, list) else []
    pending = []
    for i, cid in enumerate(cids):
        e = entries[i] if i < len(entries) else None
        if isinstance(e, dict) and str(e.get("status")) in FINAL_STATUSES:
            continue
        if isinstance(e, dict) and "code" in e:
            log.warning("halt: batch cancel of %s failed: %s %s", cid, e.get("code"), e.get("msg"))
        pending.append(cid)
    return pending


async def _own_working_at_venue(rest: Any, symbol: str, prefix: str) -> list[str]:
    """The venue's open orders under this bot's clientOrderId prefix that add risk (none when it cannot list them)."""
    try:
        rows = await rest.request("GET", "/fapi/v1/openOrders", [("symbol", symbol)], signed=True, timeout_s=TIMEOUT_S)
    except Exception as e:
        log.warning("halt: cannot list open orders (%s); cancelling the tracked ones only", e)
        return []
    out = []
    for r in rows if isinstance(rows, list) else []:
        cid = str(r.get("clientOrderId") or "") if isinstance(r, dict) else ""
        if cid.startswith(prefix) and not r.get("reduceOnly"):
            out.append(cid)
    return out


async def cancel_working_on_halt(
    rest: Any, state: AccountState, symbol: str, reason: str, verified: bool, prefix: str | None = None, batch_shape_mismatch: bool = False
) -> None:
    working = [o for o in state.in_flight() if not o.reduce_only]
    if not verified:
        if not working:
            return
        cids = [o.client_id for o in working]
        # FLAW 003_a7371304fd1017c8.txt#panic-close-all-marks-orders-cancelled-true-without: one try,
        # the outcome ignored, success reported.
        for cid in cids:
            try:
                await rest.request("DELETE", "/fapi/v1/order", [("symbol", symbol), ("origClientOrderId", cid)], signed=True, timeout_s=TIMEOUT_S)
            except Exception:
                pass
        log.warning("halt (%s): working orders cancelled: %s", reason, cids)
        return
    # FIX (same finding): the tracked orders and the venue's own-prefix ones; done only when the
    # venue says so; retried within a budget.
    cids = [o.client_id for o in working]
    if prefix is not None:
        cids += [c for c in await _own_working_at_venue(rest, symbol, prefix) if c not in cids]
    if not cids:
        return
    loop = asyncio.get_running_loop()
    deadline = loop.time() + BUDGET_S
    if len(cids) >= 2:
        pending = []
        for k in range(0, len(cids), MAX_BATCH):
            pending += await _batch_cancel(rest, symbol, cids[k : k + MAX_BATCH], batch_shape_mismatch)
        if pending:
            await asyncio.sleep(RETRY_S)
    else:
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
