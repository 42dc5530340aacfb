"""Side services wired into the bot: the heartbeat probe, the SQLite journal of order updates,
the REST mid cross-check and the Redis leader lock (each in its own module)."""

from __future__ import annotations

import asyncio
import logging
import threading

import aiohttp

from . import flaws
from .config import Config
from .heartbeat import run_heartbeat
from .journal import Journal
from .leader import LeaderLock
from .prices import PriceBook
from .reconcile import FillReconciler
from .resp import RedisClient
from .restmid import RestMidCheck

log = logging.getLogger("refbot.services")


class Services:
    def __init__(self, cfg: Config, book: PriceBook) -> None:
        self.cfg, self.book = cfg, book
        self.journal = Journal(cfg.state_dir, on_loop=cfg.flags.has(flaws.SQLITE_ON_LOOP)) if cfg.state_dir else None
        # Fill reconciliation over the journal (flaw reconcile-leaks-db-connection: refbot/reconcile.py).
        self.reconciler = FillReconciler(cfg.state_dir, cfg.flags.has(flaws.RECONCILE_LEAKS_DB_CONNECTION)) if cfg.state_dir else None
        self.redis = RedisClient(cfg.redis_url) if cfg.redis_url else None
        # Without REDIS_URL there is no one to share the venue with: the instance always trades.
        self.leader = (
            LeaderLock(self.redis, f"refbot:leader:{cfg.symbol}", cfg.instance_id, cfg.leader_ttl_ms, fenced=not cfg.flags.has(flaws.UNFENCED_LEADER_LOCK))
            if self.redis
            else None
        )
        # The price book's lock, shared by the market-data handler and (flaw lock-held-during-io)
        # the REST mid check's worker thread. The hardened check never takes it.
        self.book_lock = threading.RLock()

    def tasks(self, session: aiohttp.ClientSession) -> list[asyncio.Task]:
        mid = RestMidCheck(
            session,
            self.cfg.rest_url,
            self.cfg.symbol,
            lambda: self.book.get_mid(self.cfg.symbol),
            blocking=self.cfg.flags.has(flaws.BLOCKING_REST_RETRY),
            io_lock=self.book_lock if self.cfg.flags.has(flaws.LOCK_HELD_DURING_IO) else None,
        )
        out = [
            asyncio.create_task(run_heartbeat(), name="heartbeat"),
            asyncio.create_task(mid.run(self.cfg.rest_mid_ms / 1000.0), name="rest-mid"),
        ]
        if self.leader:
            out.append(asyncio.create_task(self.leader.run(), name="leader"))
        if self.reconciler:
            out.append(asyncio.create_task(self.reconciler.run(), name="reconcile"))
        return out

    def on_user(self, data: dict) -> None:
        if self.journal is not None and data.get("e") == "ORDER_TRADE_UPDATE":
            self.journal.record("order-update", data.get("o") or {})

    async def close(self) -> None:
        if self.leader:
            try:
                await asyncio.wait_for(self.leader.release(), 1.0)
            except Exception as e:
                log.warning("leader lock release: %s", e)
        if self.redis:
            self.redis.close()
        if self.journal:
            self.journal.close()
