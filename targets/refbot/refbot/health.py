"""GET /health on the control API: can this bot trade safely right now?

Fix for 002_3e6ca2bf6dfde12d.txt#P3-3 ("No /health endpoint for liveness checks ... no heartbeat
mechanism (is the bot alive?)"; recommendation: a health endpoint and a monitored staleness):
200 {"status": "ok"} only while the market data is fresh (the book's effective age, which counts
the time the stream has been down, is within REFBOT_MAX_PRICE_AGE_MS), the runner is RUNNING, no
halt is in force and the position is synced with the venue; otherwise 503 {"status":
"unhealthy", "reasons": [...]}. The handler runs on the event loop like the trading itself, so a
stalled loop does not answer at all: a monitor's timeout then reads as unhealthy too.

Stopping (fix for 004_8a8a9a4995486b8f.txt#C-SERV-05, a heartbeat thread never stopped nor joined,
so the bot signals "alive" through its shutdown): from the moment a stop is requested the answer is
503 with reason "stopping", before any cleanup starts, so monitors and load balancers drain it.

Flaw heartbeat-outlives-stop (C-SERV-05): the health answer ignores the stop request and the
STOPPING runner: it says ok through the whole shutdown, until the server is gone. Dormant until the
bot is asked to stop.

Flaw health-always-ok (002#P3-3, the audited "is the bot alive?" reduced to "is the process
up?"): 200 {"status": "ok"} whenever the server answers, whatever the feed, runner or halt, so a
bot trading blind, halted or stuck looks healthy to every monitor. Dormant until someone asks.
"""

from __future__ import annotations

from typing import Any, Callable


def health_reasons(
    cfg: Any, book: Any, lifecycle: Any, killswitch: Any, state: Any, stopping: Callable[[], bool] = lambda: False, outlives_stop: bool = False
) -> list[str]:
    """Why the bot cannot trade safely now; empty when it can."""
    reasons = []
    if stopping() and not outlives_stop:
        reasons.append("stopping")  # FIX 004_8a8a9a4995486b8f.txt#C-SERV-05: drained from the stop request on
    age = book.age_ms(cfg.symbol)
    if age is None:
        reasons.append("market-data-missing")
    elif age > cfg.max_price_age_ms:
        reasons.append("market-data-stale")
    if lifecycle is not None and lifecycle.state != "RUNNING" and not (outlives_stop and lifecycle.state == "STOPPING"):
        # FLAW 004_8a8a9a4995486b8f.txt#C-SERV-05 (heartbeat-outlives-stop): STOPPING still counts as alive.
        reasons.append(f"runner-{lifecycle.state.lower()}")
    if killswitch is not None and killswitch.halted:
        reasons.append("halted")
    if getattr(state, "needs_resync", False):
        reasons.append("position-unsynced")
    return reasons


def health_check(
    cfg: Any,
    book: Any,
    lifecycle: Any,
    killswitch: Any,
    state: Any,
    always_ok: bool,
    stopping: Callable[[], bool] = lambda: False,
    outlives_stop: bool = False,
) -> Callable[[], tuple[int, dict[str, Any]]]:
    def check() -> tuple[int, dict[str, Any]]:
        if always_ok:
            # FLAW 002_3e6ca2bf6dfde12d.txt#P3-3: healthy whenever the process answers.
            return 200, {"status": "ok"}
        reasons = health_reasons(cfg, book, lifecycle, killswitch, state, stopping, outlives_stop)
        return (503, {"status": "unhealthy", "reasons": reasons}) if reasons else (200, {"status": "ok"})

    return check
