"""Crash-consistent state: the persisted order-id counter and the start-up reconciliation.

refbot persists one thing, the clientOrderId counter (STATE_DIR/refbot-state.json), so that a
restarted process never sends an id an earlier process already used. Everything else (position,
open orders) is the venue's and is read from it at start-up.

Fixes, hardened (flaws off):
- 004_8a8a9a4995486b8f.txt#C-FSM-03 (recovered state never validated) and #C-FSM-04 (actions not
  idempotent on replay): the state file is validated on load; an unreadable or invalid one is
  quarantined (renamed *.corrupt-<ms>) and the counter restarts from a base that cannot collide
  with ids already used (wall clock in deciseconds), never from 0. Writes are atomic and durable
  (temp file, fsync, rename, fsync of the directory; also 000_2ae31cbfe79758d1.txt#E-M5).
- 004_8a8a9a4995486b8f.txt#C-FSM-01 (crash recovery lost positions): before trading, the bot reads
  its account, positionRisk and openOrders, so a position or order left by a killed predecessor is
  known; orders still open are tracked as in flight.
"""

from __future__ import annotations

import json
import logging
import os
import time
from typing import Any

from . import flaws, probes
from .state import AccountState, OwnOrder, dec

log = logging.getLogger("refbot.recovery")

STATE_FILE = "refbot-state.json"


def recovery_base() -> int:
    """A counter start no earlier process can have reached: deciseconds since the epoch (12 digits,
    so `rb-<20-char instance>-<counter>` stays within Binance's 36 chars). A collision would need a
    previous recovered process to have sent more than 10 ids per second on average since it began."""
    return int(time.time() * 10)


def read_counter(path: str, reset_on_corrupt: bool) -> int:
    """The persisted counter; 0 when there is no file yet."""
    if not os.path.exists(path):
        return 0
    try:
        with open(path, "rb") as f:
            doc = json.loads(f.read().decode("utf-8"))
        n = doc.get("orderCounter") if isinstance(doc, dict) else None
        if isinstance(n, bool) or not isinstance(n, int) or n < 0:
            raise ValueError(f"orderCounter {n!r} is not a whole number >= 0")
        return n
    except (OSError, ValueError, UnicodeDecodeError) as e:
        if reset_on_corrupt:
            # FLAW 004_8a8a9a4995486b8f.txt#C-FSM-03 / #C-FSM-04: the recovered state is not
            # validated or repaired; a torn file is ignored and the counter starts again at 0,
            # so the restarted bot re-sends clientOrderIds it already used.
            log.warning("ignoring unreadable %s: %s; order counter starts at 0", path, e)
            return 0
        quarantine = f"{path}.corrupt-{int(time.time() * 1000)}"
        try:
            os.replace(path, quarantine)
        except OSError as qe:
            log.error("cannot quarantine %s: %s", path, qe)
        base = recovery_base()
        log.error("state file %s is corrupt (%s); quarantined as %s, order counter restarts at %d", path, e, quarantine, base)
        probes.emit("state-recovered", file=STATE_FILE, reason=str(e), counter=base)
        return base


def write_counter(path: str, n: int) -> None:
    """Atomic and durable: a kill at any point leaves the old or the new file, never a torn one."""
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump({"orderCounter": n}, f)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    try:
        dfd = os.open(os.path.dirname(path) or ".", os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
    except OSError:
        pass  # directory fsync is not supported everywhere; the rename is still atomic


async def recover_on_start(rest: Any, state: AccountState, symbol: str, flagset: frozenset[str], warm: bool) -> None:
    """Reads what a killed predecessor may have left at the venue before the bot trades.

    `warm`: STATE_DIR already held a state file, i.e. an earlier process of this bot ran here."""
    if warm and flaws.NO_RECOVERY_ON_START in flagset:
        # FLAW 004_8a8a9a4995486b8f.txt#C-FSM-01: a warm start "resumes" from the local state, which
        # never persisted positions or orders; only a cold start syncs with the exchange. The bot
        # assumes it is flat with no orders whatever its killed predecessor left at the venue.
        log.warning("warm start: resuming from local state (flat, no open orders); venue not read")
        return
    state.apply_account(await rest.account(), 0)
    as_of = rest.now_ms()
    state.apply_position_risk(await rest.position_risk(symbol), as_of)
    rows = await rest.request("GET", "/fapi/v1/openOrders", [("symbol", symbol)], signed=True)
    for r in rows or []:
        if not isinstance(r, dict) or r.get("symbol") != symbol:
            continue
        o = OwnOrder(str(r.get("clientOrderId")), str(r.get("side")), dec(r.get("origQty")), bool(r.get("reduceOnly")), time.monotonic())
        o.status = str(r.get("status") or "NEW")
        o.filled = dec(r.get("executedQty"))
        if r.get("orderId") is not None:
            o.order_id = int(r["orderId"])
        state.track(o)
    log.info("start-up: recovered position=%s entry=%s, %d open order(s)", state.position, state.entry_price, len(rows or []))
    probes.emit("recovered", position=str(state.position), openOrders=len(rows or []))
