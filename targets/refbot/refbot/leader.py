"""Leader lock in Redis: of several instances sharing REDIS_URL, only the lock holder trades.

The lock is `refbot:leader:<symbol>` = `<instance>:<pid>:<nonce>`, taken with SET NX PX ttl and
renewed every ttl/3.

Hardened (fix for 002_3e6ca2bf6dfde12d.txt#R8, a lock that survives real Redis outages and
lock loss): the renewal extends the key only while it still holds this owner's value (a Lua
compare-and-extend), and the holder trades only while its lease is valid by its own monotonic
clock: the lease runs from the moment the last successful acquire/renewal was SENT plus ttl,
minus a safety margin of ttl/3. A process paused past its TTL, a Redis outage, a stolen or
deleted key: each leaves the lease to expire locally, so the instance stops trading before
another one can have taken the key, and a renewal that finds a foreign value demotes it.

Flaw unfenced-leader-lock (002_3e6ca2bf6dfde12d.txt#R8, the FakeKVLock-only design): once
acquired, the instance believes it leads forever. Its renewal is a blind PEXPIRE (it extends
whoever holds the key), renewal errors are ignored, and nothing is re-checked before trading, so
after a pause past the TTL, a failover or a stolen key, two instances trade at once.
"""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import time

from . import probes
from .resp import RedisClient

log = logging.getLogger("refbot.leader")

# KEYS[1] = lock key, ARGV[1] = owner, ARGV[2] = ttl ms: extend only our own lock.
CAS_EXTEND = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end"


class LeaderLock:
    def __init__(self, client: RedisClient, key: str, instance_id: str, ttl_ms: int, fenced: bool) -> None:
        self.client = client
        self.key = key
        self.owner = f"{instance_id}:{os.getpid()}:{secrets.token_hex(4)}"
        self.ttl_ms = ttl_ms
        self.fenced = fenced
        self.leader = False
        self.lease_until = 0.0  # monotonic
        self._gated = False  # last may_trade() answer was False while leading (probe once per change)

    @property
    def interval_s(self) -> float:
        return self.ttl_ms / 3000.0

    def may_trade(self, now: float | None = None) -> bool:
        """Whether this instance may send an order now."""
        if not self.fenced:
            # FLAW 002_3e6ca2bf6dfde12d.txt#R8: leadership is a flag set once; never re-checked.
            return self.leader
        # FIX 002_3e6ca2bf6dfde12d.txt#R8: trade only inside the lease, with a margin of ttl/3.
        now = time.monotonic() if now is None else now
        ok = self.leader and now < self.lease_until - self.ttl_ms / 3000.0
        if self.leader and not ok and not self._gated:
            log.warning("leader lease expired locally (%.0f ms ago); not trading until a renewal succeeds", (now - self.lease_until) * 1000)
            probes.emit("leader", state="lease-expired", owner=self.owner)
        self._gated = self.leader and not ok
        return ok

    async def step(self) -> None:
        """One acquire (follower) or renewal (leader) attempt."""
        sent = time.monotonic()
        if not self.leader:
            try:
                r = await self.client.command("SET", self.key, self.owner, "NX", "PX", self.ttl_ms)
            except Exception as e:
                log.warning("leader lock: acquire failed: %s: %s", type(e).__name__, e)
                return
            if r == "OK":
                self.leader, self.lease_until = True, sent + self.ttl_ms / 1000.0
                log.info("leader lock %s acquired as %s (ttl %d ms)", self.key, self.owner, self.ttl_ms)
                probes.emit("leader", state="acquired", owner=self.owner)
            return
        if not self.fenced:
            # FLAW 002_3e6ca2bf6dfde12d.txt#R8: a blind PEXPIRE extends whoever holds the key, and
            # its answer (0: the key is gone) and errors are ignored; this instance leads on.
            try:
                await self.client.command("PEXPIRE", self.key, self.ttl_ms)
            except Exception as e:
                log.warning("leader lock: renewal failed (ignored): %s", e)
            return
        try:
            r = await self.client.command("EVAL", CAS_EXTEND, 1, self.key, self.owner, self.ttl_ms)
        except Exception as e:
            # Outcome unknown: keep the old lease, which expires locally unless a renewal succeeds.
            log.warning("leader lock: renewal failed: %s: %s", type(e).__name__, e)
            return
        if r == 1:
            self.lease_until = sent + self.ttl_ms / 1000.0
            return
        self.leader = False
        self._gated = False
        log.error("leader lock %s lost (held by another owner or gone); stopped trading", self.key)
        probes.emit("leader", state="lost", owner=self.owner)

    async def run(self) -> None:
        while True:
            await self.step()
            await asyncio.sleep(self.interval_s)

    async def release(self) -> None:
        """On shutdown, free the lock if it is still ours (so a standby takes over at once)."""
        if not self.leader:
            return
        try:
            await self.client.command("EVAL", "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end", 1, self.key, self.owner)
        except Exception as e:
            log.warning("leader lock: release failed: %s", e)
