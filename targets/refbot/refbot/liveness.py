"""How the bot knows its user-data stream is alive.

A Binance user-data stream is silent while nothing happens on the account, so silence proves
nothing; a stalled path (socket open, no bytes) looks the same. Hardened, the stream's own
connection is probed: a WebSocket ping every HEARTBEAT_S (refbot/streams.py) that must be answered,
else the connection is closed, the bot marks its private state for re-sync (no trading) and
reconnects.

Flaw user-stream-aggregate-liveness (003_a7371304fd1017c8.txt#stale-detection-is-based-on-aggregate-update-counts,
"Stale detection is based on aggregate update_counts deltas across all topics; active public
traffic can mask a dead private stream"): the user stream runs without its own ping, and one
watchdog judges all streams on the total number of messages received. The market stream keeps
that number growing, so a dead user stream is never noticed: fills and position changes are
missed while the bot trades on.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Awaitable, Callable

import aiohttp

from .streams import HEARTBEAT_S, run_ws

log = logging.getLogger("refbot.liveness")

STALE_S = 10.0  # flaw: streams are "stale" when no message at all arrived for this long
CHECK_S = 0.5


class AggregateLiveness:
    """FLAW: one message counter for every stream (market and user alike)."""

    def __init__(self, stale_s: float = STALE_S, clock: Callable[[], float] = time.monotonic) -> None:
        self.total = 0
        self.stale_s = stale_s
        self._clock = clock
        self._seen_total = 0
        self._since = clock()

    def seen(self) -> None:
        self.total += 1

    def stale(self) -> bool:
        """True when the aggregate count has not moved for stale_s."""
        now = self._clock()
        if self.total != self._seen_total:
            self._seen_total, self._since = self.total, now
            return False
        return now - self._since > self.stale_s


async def run_user_stream(
    session: aiohttp.ClientSession,
    url_for: Callable[[], Awaitable[str]],
    on_message: Callable[[dict], str | None],
    on_up: Callable[[], Awaitable[None] | None],
    on_down: Callable[[], None],
    aggregate: AggregateLiveness | None,
) -> None:
    """The user-data stream until cancelled; with `aggregate` (the flaw) judged on aggregate traffic."""
    if aggregate is None:
        # FIX 003_a7371304fd1017c8.txt#stale-detection-is-based-on-aggregate-update-counts: the user
        # connection's own ping/pong; a dead path closes it within ~1.5 x HEARTBEAT_S.
        await run_ws("user", session, url_for, on_message, on_up, on_down, heartbeat_s=HEARTBEAT_S)
        return

    def counted(data: dict) -> str | None:
        aggregate.seen()
        return on_message(data)

    while True:
        # FLAW: no ping on the user connection; the only liveness signal is the aggregate count,
        # which market data keeps moving whatever happens to this stream.
        task = asyncio.create_task(run_ws("user", session, url_for, counted, on_up, on_down, heartbeat_s=None), name="user-ws")
        try:
            while not task.done():
                await asyncio.sleep(CHECK_S)
                if aggregate.stale():
                    log.warning("no message on any stream for %.0f s: restarting the user stream", aggregate.stale_s)
                    task.cancel()
                    await asyncio.wait({task}, timeout=2.0)
                    on_down()
                    break
            else:
                task.result()  # run_ws only ends by raising
        finally:
            if not task.done():
                task.cancel()
