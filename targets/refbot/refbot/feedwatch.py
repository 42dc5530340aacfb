"""The market feed with a watchdog: a stream that stays connected but goes silent is restarted.

A silent feed on an open socket (a stalled venue, a half-dead proxy) is noticed by no transport
timer; after REFBOT_MARKET_STALE_RESTART_MS without a message the watchdog restarts the stream.

Finding 004_8a8a9a4995486b8f.txt#H-ADAPTER-02 (session pool never closed -> fd exhaustion) lives
in restart(): the flaw leak-session-on-restart builds a fresh aiohttp session (its own connection
pool) for the new stream and forgets the old one, whose task keeps its socket open: one socket per
restart, for ever. The fix cancels the old stream (closing its socket) and reuses the one session.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Awaitable, Callable

import aiohttp

from .streams import run_ws

log = logging.getLogger("refbot.feedwatch")

CHECK_S = 0.25
CANCEL_WAIT_S = 2.0


class MarketFeed:
    def __init__(
        self,
        session: aiohttp.ClientSession,
        url_for: Callable[[], Awaitable[str]],
        on_message: Callable[[dict], None],
        on_up: Callable[[], None],
        on_down: Callable[[], None],
        stale_restart_ms: int,
        leak_on_restart: bool,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.session = session
        self._url_for, self._on_message, self._on_up, self._on_down = url_for, on_message, on_up, on_down
        self.stale_s = stale_restart_ms / 1000.0
        self.leak_on_restart = leak_on_restart
        self._clock = clock
        self._task: asyncio.Task | None = None
        self._gen = 0
        self._up: set[int] = set()  # generations whose connection is up
        self.last_msg = clock()
        self.last_restart = clock()
        self.restarts = 0
        self.leaked: list[tuple[asyncio.Task, aiohttp.ClientSession]] = []  # flaw only: never closed

    @property
    def connected(self) -> bool:
        return bool(self._up)

    def _spawn(self) -> asyncio.Task:
        self._gen += 1
        gen = self._gen

        def up() -> None:
            self._up.add(gen)
            self.last_msg = self._clock()
            self._on_up()

        def down() -> None:
            self._up.discard(gen)
            if not self._up:
                self._on_down()

        def message(data: dict) -> None:
            self.last_msg = self._clock()
            self._on_message(data)

        return asyncio.create_task(run_ws("market", self.session, self._url_for, message, up, down), name=f"market-{gen}")

    def stale(self) -> bool:
        """Connected, yet nothing arrived for stale_s (and the last restart is as old)."""
        now = self._clock()
        return self.stale_s > 0 and self.connected and now - self.last_msg > self.stale_s and now - self.last_restart > self.stale_s

    async def restart(self) -> None:
        self.restarts += 1
        self.last_restart = self._clock()
        old, old_gen = self._task, self._gen
        log.warning("market stream silent for more than %.1f s while connected: restarting it (restart %d)", self.stale_s, self.restarts)
        if self.leak_on_restart:
            # FLAW 004_8a8a9a4995486b8f.txt#H-ADAPTER-02 (flaw leak-session-on-restart): "reconnect"
            # builds a new session with its own pool and moves on; the old session is never closed
            # and its stream task never cancelled, so its socket stays open.
            if old is not None:
                self.leaked.append((old, self.session))
            self.session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10, sock_connect=5))
        elif old is not None:
            # FIX 004_8a8a9a4995486b8f.txt#H-ADAPTER-02: close the old stream (and its socket) before
            # opening the next one on the same session.
            old.cancel()
            await asyncio.wait({old}, timeout=CANCEL_WAIT_S)
            self._up.discard(old_gen)
            if not self._up:
                self._on_down()
        self._task = self._spawn()

    async def run(self) -> None:
        """Runs the stream (and the watchdog when stale_s > 0) until cancelled."""
        self._task = self._spawn()
        try:
            while True:
                await asyncio.sleep(CHECK_S)
                if self._task.done():
                    return self._task.result()  # run_ws only ends by raising
                if self.stale():
                    await self.restart()
        finally:
            tasks = [self._task] if self._task is not None else []
            tasks += [t for t, _ in self.leaked]  # shutdown: stop every stream still running
            for t in tasks:
                t.cancel()
            if tasks:
                await asyncio.wait(tasks, timeout=1.0)
