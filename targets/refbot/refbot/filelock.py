"""Leader lock as a lock file in SHARED_DIR (no REDIS_URL): of the instances sharing the folder,
only the holder trades.

The lock is SHARED_DIR/refbot-leader-<symbol>.lock, holding {"owner", "pid", "since"} as JSON.
Followers try to take it every INTERVAL_S.

Hardened (fix for 003_a7371304fd1017c8.txt#file-lock-stale-eviction-removes-lock-files-older, a
live writer preempted because its lock file looked old): the lock is an exclusive flock(2) on the
file, held for the holder's whole life. The kernel releases it when the holder dies, however it
dies, so there is nothing to judge stale: a follower takes the lock exactly when the holder is
gone, never because of the file's age, owner text or mtime. Release closes the descriptor; the
file stays (unlinking a flocked file lets a late opener lock a different inode).

Flaw file-lock-evicts-by-age (same finding: "removes .lock files older than 5 minutes without
owner/process validation"): the lock is the file's existence (O_CREAT|O_EXCL). A follower that
finds the file older than STALE_S (by mtime) deletes it and creates its own, without asking
whether its owner still runs; and the holder, a long-running writer that never refreshes the
file nor re-checks it, trades on. Two instances then trade at once. Dormant while the holder's file
is younger than STALE_S (a long-running holder is exactly what ages it).
"""

from __future__ import annotations

import asyncio
import fcntl
import json
import logging
import os
import time

from . import probes

log = logging.getLogger("refbot.filelock")

INTERVAL_S = 0.5
STALE_S = 300.0  # the audited store's 5 minutes


class FileLeaderLock:
    def __init__(self, shared_dir: str, symbol: str, instance_id: str, evict_by_age: bool, stale_s: float = STALE_S) -> None:
        self.path = os.path.join(shared_dir, f"refbot-leader-{symbol}.lock")
        self.owner = f"{instance_id}:{os.getpid()}"
        self.evict_by_age = evict_by_age
        self.stale_s = stale_s
        self.leader = False
        self._fd: int | None = None
        self.interval_s = INTERVAL_S

    def may_trade(self, now: float | None = None) -> bool:
        """Whether this instance may send an order now: it holds the lock."""
        return self.leader

    def _stamp(self, fd: int) -> None:
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps({"owner": self.owner, "pid": os.getpid(), "since": int(time.time() * 1000)}).encode(), 0)

    def _acquired(self) -> None:
        self.leader = True
        log.info("leader lock %s acquired as %s", self.path, self.owner)
        probes.emit("leader", state="acquired", owner=self.owner)

    def step(self) -> None:
        """One acquire attempt (followers only: a holder keeps its lock until it releases or dies)."""
        if self.leader:
            return
        if self.evict_by_age:
            self._step_by_age()
            return
        # FIX 003_a7371304fd1017c8.txt#file-lock-stale-eviction-removes-lock-files-older: a kernel
        # lock, free exactly when its holder is gone; the file's age means nothing.
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return
        self._fd = fd
        self._stamp(fd)
        self._acquired()

    def _step_by_age(self) -> None:
        try:
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            try:
                age = time.time() - os.stat(self.path).st_mtime
            except FileNotFoundError:
                return  # gone meanwhile: try again next round
            if age > self.stale_s:
                # FLAW 003_a7371304fd1017c8.txt#file-lock-stale-eviction-removes-lock-files-older:
                # evicted by mtime alone; whether its owner still runs is never asked.
                log.warning("leader lock %s is %.0f s old: stale, removing it", self.path, age)
                try:
                    os.unlink(self.path)
                except FileNotFoundError:
                    pass
            return
        try:
            self._stamp(fd)
        finally:
            os.close(fd)
        self._acquired()

    async def run(self) -> None:
        while True:
            try:
                self.step()
            except OSError as e:
                log.warning("leader lock %s: %s", self.path, e)
            await asyncio.sleep(self.interval_s)

    async def release(self) -> None:
        """On shutdown, free the lock so a follower takes over at once."""
        if not self.leader:
            return
        self.leader = False
        if self._fd is not None:
            os.close(self._fd)  # drops the flock; the file stays
            self._fd = None
        elif self.evict_by_age:
            try:
                os.unlink(self.path)
            except FileNotFoundError:
                pass
