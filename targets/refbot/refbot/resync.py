"""Re-fetching private state after a user-stream gap, before the bot trades again.

While the user stream is down (disconnect, listenKey expiry) fills, cancels and position changes
are missed. Fix for 003_a7371304fd1017c8.txt#private-reconnection-detection-flips-state-to-connected-but
(a private reconnect must rehydrate positions and orders, not only flip the state to connected) and
003_a7371304fd1017c8.txt#handle-stale-connection-refreshes-wallet-and-positions-via (the recovery
must re-fetch open orders too): once the stream is back, GET positionRisk, then GET openOrders, and
only then trade.
"""

from __future__ import annotations

import logging

from . import probes
from .flaws import NO_RECONNECT_ON_LISTEN_KEY_EXPIRED, RESYNC_SKIPS_OPEN_ORDERS
from .rest import RestClient
from .state import AccountState, dec
from .streams import RECONNECT

log = logging.getLogger("refbot.resync")


async def fetch_open_orders(rest: RestClient, symbol: str) -> list:
    return await rest.request("GET", "/fapi/v1/openOrders", [("symbol", symbol)], signed=True)


def apply_open_orders(state: AccountState, rows: list) -> list[str]:
    """Orders the bot still thinks are in flight keep waiting only if the venue lists them as open;
    the others ended during the gap (their fills are in the fresh position). Returns the ids kept."""
    open_rows = {str(r.get("clientOrderId")): r for r in rows or [] if isinstance(r, dict)}
    kept = []
    for o in state.in_flight():
        row = open_rows.get(o.client_id)
        if row is None:
            o.status = "EXPIRED"
            continue
        o.status = str(row.get("status") or o.status)
        if row.get("orderId") is not None:
            o.order_id = int(row["orderId"])
        o.filled = max(o.filled, dec(row.get("executedQty")))
        kept.append(o.client_id)
    return kept


async def resync_private_state(rest: RestClient, state: AccountState, symbol: str, flaws: frozenset[str]) -> None:
    """Positions first, then open orders; raises if either request fails (the caller retries)."""
    as_of = rest.now_ms()
    state.apply_position_risk(await rest.position_risk(symbol), as_of)
    if RESYNC_SKIPS_OPEN_ORDERS in flaws:
        # FLAW 003_a7371304fd1017c8.txt#handle-stale-connection-refreshes-wallet-and-positions-via:
        # positions are refreshed but open orders are not; every order in flight is assumed done,
        # so one still working at the venue is traded over.
        for o in state.in_flight():
            o.status = "EXPIRED"
        log.info("resync: position=%s (open orders not re-fetched)", state.position)
        probes.emit("resync", position=str(state.position), openOrders=None)
        return
    kept = apply_open_orders(state, await fetch_open_orders(rest, symbol))
    log.info("resync: position=%s, %d order(s) still open at the venue %s", state.position, len(kept), kept)
    probes.emit("resync", position=str(state.position), openOrders=len(kept))


def on_listen_key_expired(flaws: frozenset[str]) -> str | None:
    """The venue's listenKeyExpired: the socket stays open but no private event will come on it.

    Fix for 000_2ae31cbfe79758d1.txt#S-M4 (no automatic reconnection: the client stays on a dead
    connection): close it and reconnect with a fresh listen key; the disconnect marks private state
    for a re-fetch, so no risk is taken until positions and open orders are read again.
    """
    if NO_RECONNECT_ON_LISTEN_KEY_EXPIRED in flaws:
        # FLAW 000_2ae31cbfe79758d1.txt#S-M4: logged, nothing else; the dead stream is kept.
        log.warning("listenKey expired; the user stream will reconnect with a new one")
        return None
    log.warning("listenKey expired: reconnecting the user stream with a new key and re-syncing before trading")
    return RECONNECT
