"""Heartbeat probe from the event loop: {"probe":"heartbeat","n":k,"lagMs":x} every 200 ms.

It runs as an ordinary asyncio task, so it is only as punctual as the loop: anything that blocks
the loop thread (a synchronous SQLite write waiting on a lock, a blocking HTTP call, time.sleep)
shows from outside as a gap between two heartbeats, and lagMs says how late this one fired.
"""

from __future__ import annotations

import asyncio
import time

from . import probes

HEARTBEAT_INTERVAL_S = 0.2


async def run_heartbeat(interval_s: float = HEARTBEAT_INTERVAL_S) -> None:
    n = 0
    next_at = time.monotonic()
    while True:
        now = time.monotonic()
        n += 1
        probes.emit("heartbeat", n=n, lagMs=max(0, round((now - next_at) * 1000)))
        next_at += interval_s
        if next_at < now:  # the loop was stalled: keep cadence from now on
            next_at = now + interval_s
        await asyncio.sleep(max(0.0, next_at - time.monotonic()))
