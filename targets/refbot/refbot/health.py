"""GET /health on the control API: can this bot trade safely right now?

Fix for 002_3e6ca2bf6dfde12d.txt#P3-3 ("No /health endpoint for liveness checks ... no heartbeat
mechanism (is the bot alive?)"; recommendation: a health endpoint and a monitored staleness):
200 {"status": "ok"} only while the market data is fresh (the book's effective age, which counts
the time the stream has been down, is within REFBOT_MAX_PRICE_AGE_MS), the runner is RUNNING, no
halt is in force and the position is synced with the venue; otherwise 503 {"status":
"unhealthy", "reasons": [...]}. The handler runs on the event loop like the trading itself, so a
stalled loop does not answer at all: a monitor's timeout then reads as unhealthy too.

Flaw health-always-ok (same finding, the audited "is the bot alive?" reduced to "is the process
up?"): 200 {"status": "ok"} whenever the server answers, whatever the feed, runner or halt, so a
bot trading blind, halted or stuck looks healthy to every monitor. Dormant until someone asks.
"""

from __future__ import annotations

from typing import Any, Callable


def health_reasons(cfg: Any, book: Any, lifecycle: Any, killswitch: Any, state: Any) -> list[str]:
    """Why the bot cannot trade safely now; empty when it can."""
    reasons = []
    age = book.age_ms(cfg.symbol)
    if age is None:
        reasons.append("market-data-missing")
    elif age > cfg.max_price_age_ms:
        reasons.append("market-data-stale")
    if lifecycle is not None and lifecycle.state != "RUNNING":
        reasons.append(f"runner-{lifecycle.state.lower()}")
    if killswitch is not None and killswitch.halted:
        reasons.append("halted")
    if getattr(state, "needs_resync", False):
        reasons.append("position-unsynced")
    return reasons


def health_check(cfg: Any, book: Any, lifecycle: Any, killswitch: Any, state: Any, always_ok: bool) -> Callable[[], tuple[int, dict[str, Any]]]:
    def check() -> tuple[int, dict[str, Any]]:
        if always_ok:
            # FLAW 002_3e6ca2bf6dfde12d.txt#P3-3: healthy whenever the process answers.
            return 200, {"status": "ok"}
        reasons = health_reasons(cfg, book, lifecycle, killswitch, state)
        return (503, {"status": "unhealthy", "reasons": reasons}) if reasons else (200, {"status": "ok"})

    return check
