"""Side services wired into the bot: the heartbeat probe, the SQLite journal of order updates,
the REST mid cross-check and the Redis leader lock (each in its own module)."""

from __future__ import annotations

import asyncio
import logging
import threading

import aiohttp

from . import flaws
from .config import Config
from .decisions import DecisionFile
from .heartbeat import run_heartbeat
from .journal import Journal
from .filelock import FileLeaderLock
from .leader import LeaderLock
from .prices import PriceBook
from .restmid import SESSION_TIMEOUT_S
from .fills import FillProcessor
from .reconcile import FillReconciler
from .resp import RedisClient
from .restmid import RestMidCheck
from .warmup import KlineWarmup

log = logging.getLogger("refbot.services")


class Services:
    def __init__(self, cfg: Config, book: PriceBook) -> None:
        self.cfg, self.book = cfg, book
        self.journal = Journal(cfg.state_dir, on_loop=cfg.flags.has(flaws.SQLITE_ON_LOOP)) if cfg.state_dir else None
        # Fill reconciliation over the journal (flaw reconcile-leaks-db-connection: refbot/reconcile.py).
        self.reconciler = FillReconciler(cfg.state_dir, cfg.flags.has(flaws.RECONCILE_LEAKS_DB_CONNECTION)) if cfg.state_dir else None
        # Operator decision file (flaw decision-file-read-whole: refbot/decisions.py).
        self.decisions = DecisionFile(cfg.state_dir, cfg.flags.has(flaws.DECISION_FILE_READ_WHOLE)) if cfg.state_dir else None
        self.redis = RedisClient(cfg.redis_url, leak_on_error=cfg.flags.has(flaws.REDIS_RECONNECT_LEAKS_CONNECTION)) if cfg.redis_url else None
        # Leader lock: in Redis when REDIS_URL is set, else a lock file in SHARED_DIR (refbot/filelock.py).
        # With neither there is no one to share the venue with: the instance always trades.
        self.leader: LeaderLock | FileLeaderLock | None = None
        if self.redis:
            self.leader = LeaderLock(self.redis, f"refbot:leader:{cfg.symbol}", cfg.instance_id, cfg.leader_ttl_ms, fenced=not cfg.flags.has(flaws.UNFENCED_LEADER_LOCK))
        elif cfg.shared_dir:
            self.leader = FileLeaderLock(cfg.shared_dir, cfg.symbol, cfg.instance_id, evict_by_age=cfg.flags.has(flaws.FILE_LOCK_EVICTS_BY_AGE))
        # The price book's lock, shared by the market-data handler and (flaw lock-held-during-io)
        # the REST mid check's worker thread. The hardened check never takes it.
        self.book_lock = threading.RLock()
        # Per-order fill bookkeeping in its own task (flaws fill-handler-reraises,
        # partial-fill-log-divides-by-zero: refbot/fills.py) and the kline warmup run whenever the
        # market stream comes up (flaw blocking-kline-warmup: refbot/warmup.py).
        self.fills = FillProcessor(cfg.flags.has(flaws.FILL_HANDLER_RERAISES), cfg.flags.has(flaws.PARTIAL_FILL_LOG_DIVIDES_BY_ZERO))
        self.warmup: KlineWarmup | None = None
        self.rest_mid: RestMidCheck | None = None  # its last REST mid is refbot/limits.py's reference price

    def _store_klines(self, rows: list) -> None:
        """The kline sync's candles go to the journal's database (refbot/journal.py)."""
        assert self.journal is not None
        self.journal.store_klines(rows, direct=self.cfg.flags.has(flaws.SYNC_WRITES_BYPASS_LOCK))

    def tasks(self, session: aiohttp.ClientSession) -> list[asyncio.Task]:
        mid = RestMidCheck(
            session,
            self.cfg.rest_url,
            self.cfg.symbol,
            lambda: self.book.get_mid(self.cfg.symbol),
            blocking=self.cfg.flags.has(flaws.BLOCKING_REST_RETRY),
            io_lock=self.book_lock if self.cfg.flags.has(flaws.LOCK_HELD_DURING_IO) else None,
            slow_after_failure=self.cfg.flags.has(flaws.SLOW_MODE_AFTER_FETCH_FAILURE),
            # Flaw single-connection-pool: one pooled connection, and the market-data call holds it for the session's 10 s timeout.
            **({"timeout_s": SESSION_TIMEOUT_S} if self.cfg.flags.has(flaws.SINGLE_CONNECTION_POOL) else {}),
        )
        self.rest_mid = mid
        self.warmup = KlineWarmup(
            session, self.cfg.rest_url, self.cfg.symbol, blocking=self.cfg.flags.has(flaws.BLOCKING_KLINE_WARMUP),
            source=self.cfg.vol_source,
            nan_placeholders=self.cfg.flags.has(flaws.WARMUP_NAN_DEADLOCK),
            swallow_page_errors=self.cfg.flags.has(flaws.KLINE_PAGE_ERROR_SWALLOWED),
            store=self._store_klines if self.journal is not None else None,
        )
        out = [
            asyncio.create_task(run_heartbeat(), name="heartbeat"),
            asyncio.create_task(mid.run(self.cfg.rest_mid_ms / 1000.0), name="rest-mid"),
            asyncio.create_task(self.fills.run(), name="fills"),
        ]
        if self.leader:
            out.append(asyncio.create_task(self.leader.run(), name="leader"))
        if self.reconciler:
            out.append(asyncio.create_task(self.reconciler.run(), name="reconcile"))
        if self.decisions:
            out.append(asyncio.create_task(self.decisions.run(), name="decisions"))
        return out

    def on_user(self, data: dict) -> None:
        if self.journal is not None and data.get("e") == "ORDER_TRADE_UPDATE":
            self.journal.record("order-update", data.get("o") or {})
        self.fills.on_user(data)

    def on_market_up(self) -> None:
        if self.warmup is not None:
            self.warmup.trigger()

    async def close(self) -> None:
        if self.warmup:
            self.warmup.close()
        if self.leader:
            try:
                await asyncio.wait_for(self.leader.release(), 1.0)
            except Exception as e:
                log.warning("leader lock release: %s", e)
        if self.redis:
            self.redis.close()
        if self.journal:
            self.journal.close()
