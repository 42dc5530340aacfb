"""The registry of the bot's worker threads, which the clean stop signals and joins (clean-sigterm).

A worker registers when it starts and unregisters itself, from its own thread, as it exits.

Hardened (fix for 004_8a8a9a4995486b8f.txt#C-SERV-04, "Race Condition in Thread Join"): the stop
copies the list under the lock and signals and joins the copy outside it, each join bounded, so
a worker unregistering itself while it is being joined neither races the iteration nor blocks.

Flaw shutdown-join-under-lock (004_8a8a9a4995486b8f.txt#C-SERV-04): the stop walks the live list
while holding the registry lock and joins each worker without a timeout; the worker's exit path
needs that lock to unregister, so the stop waits for the worker and the worker for the stop, and
the process hangs past its grace. Dormant until the bot is asked to stop.
"""

from __future__ import annotations

import logging
import threading
from typing import Protocol

from .flaws import SHUTDOWN_JOIN_UNDER_LOCK

log = logging.getLogger("refbot.workers")


class Worker(Protocol):
    def stop(self, join_s: float | None) -> None:
        """Signal the worker to finish and join its thread (join_s None = without a timeout)."""


class Workers:
    def __init__(self, flaws: frozenset[str]) -> None:
        self._lock = threading.Lock()
        self._workers: list[Worker] = []
        self.join_under_lock = SHUTDOWN_JOIN_UNDER_LOCK in flaws

    def register(self, w: Worker) -> None:
        with self._lock:
            self._workers.append(w)

    def unregister(self, w: Worker) -> None:
        """Called by the worker's own thread as it exits."""
        with self._lock:
            if w in self._workers:
                self._workers.remove(w)

    def __len__(self) -> int:
        with self._lock:
            return len(self._workers)

    def stop_all(self, join_s: float) -> None:
        if self.join_under_lock:
            # FLAW 004_8a8a9a4995486b8f.txt#C-SERV-04: the live list is walked and joined (no
            # timeout) under the lock each exiting worker takes to unregister itself: deadlock.
            with self._lock:
                for w in self._workers:
                    w.stop(None)
            return
        # FIX 004_8a8a9a4995486b8f.txt#C-SERV-04: snapshot under the lock, join outside it, bounded.
        with self._lock:
            snapshot = list(self._workers)
        for w in snapshot:
            w.stop(join_s)
