"""Indicator warmup: the last WARMUP_CANDLES one-minute klines (GET /fapi/v1/klines) give the
realized volatility the strategy logs beside its orders. It runs when the market stream comes up,
at start and again after every reconnect (the indicator history has a hole after a gap).

Hardened (fix for 001_0474a2fd1532b929.txt#M3): an async request on the bot's session (so through
its outbound guard) bounded by ASYNC_TIMEOUT_S, in a task of its own; a slow or failing endpoint
leaves the previous estimate in place and never holds the event loop.

Flaw blocking-kline-warmup (001_0474a2fd1532b929.txt#M3): the warmup is a synchronous HTTP call
(urllib, like binance_warmer.py's requests) made from the event loop thread: while the klines
endpoint is slow, market data, heartbeats and trading all freeze until it answers.
Dormant while /fapi/v1/klines answers promptly.

Readiness gate (refbot/strategy.py asks `ready()` before any risk-increasing order): the indicator
buffer must hold no NaN placeholder. Hardened (fix for 003_a7371304fd1017c8.txt#anchored-vwap-readiness-deadlock-provider-appends-nan-placeholders):
a candle with null or non-finite fields is dropped, never stored as a placeholder (a missing bar is
a gap the next warmup fills), so the gate can always open.

Flaw warmup-nan-deadlock (same finding, "provider appends NaN placeholders ..., warmup rejects NaN,
but engine update only runs after readiness gate"): each bad candle is appended as a NaN
placeholder; the gate stays shut while any is left, and the live update that would overwrite them
runs only behind the gate. Only a later warmup on clean klines (the next market reconnect) clears
them; until then the bot never opens risk again. Dormant while the klines are whole.
"""

from __future__ import annotations

import asyncio
import json
import logging
import math
import urllib.request
from typing import Any

import aiohttp

from .volsource import VOL_SOURCES

log = logging.getLogger("refbot.warmup")

PATH = "/fapi/v1/klines"
WARMUP_CANDLES = 30
SYNC_TIMEOUT_S = 10.0  # the audited warmer's requests timeout
ASYNC_TIMEOUT_S = 1.0




def realized_vol(rows: Any, source: str = "close") -> float | None:
    """Standard deviation of one-minute log returns of the source price (default the close, kline field 4)."""
    fields = VOL_SOURCES[source]
    try:
        closes = [sum(float(r[i]) for i in fields) / len(fields) for r in rows]
    except (TypeError, ValueError, IndexError, KeyError):
        return None
    rets = [math.log(b / a) for a, b in zip(closes, closes[1:]) if a > 0 and b > 0]
    if len(rets) < 2:
        return None
    mean = sum(rets) / len(rets)
    return math.sqrt(sum((r - mean) ** 2 for r in rets) / (len(rets) - 1))


def whole_candle(row: Any) -> bool:
    """A kline row whose open, high, low, close and volume are all finite numbers."""
    try:
        return isinstance(row, list) and all(math.isfinite(float(row[i])) for i in (1, 2, 3, 4, 5))
    except (TypeError, ValueError, IndexError):
        return False


class KlineWarmup:
    def __init__(
        self, session: aiohttp.ClientSession | None, rest_url: str, symbol: str, blocking: bool, source: str = "close", nan_placeholders: bool = False
    ) -> None:
        self.session = session
        self.nan_placeholders = nan_placeholders
        self.placeholders = 0  # NaN placeholders in the indicator buffer (flaw warmup-nan-deadlock only)
        self.source = source
        self.url = f"{rest_url}{PATH}?symbol={symbol}&interval=1m&limit={WARMUP_CANDLES}"
        self.blocking = blocking
        self.vol: float | None = None
        self.runs = 0
        self.failures = 0
        self._task: asyncio.Task | None = None

    def trigger(self) -> None:
        """Called on the loop when the market stream comes up; one warmup at a time."""
        if self._task is not None and not self._task.done():
            return
        self._task = asyncio.get_running_loop().create_task(self.run_once(), name="warmup")

    async def fetch(self) -> Any:
        if self.blocking:
            # FLAW 001_0474a2fd1532b929.txt#M3: a blocking HTTP call on the event loop thread.
            with urllib.request.urlopen(self.url, timeout=SYNC_TIMEOUT_S) as resp:
                return json.loads(resp.read() or b"null")
        assert self.session is not None
        # FIX 001_0474a2fd1532b929.txt#M3: async and bounded; the loop keeps running meanwhile.
        async with self.session.get(self.url, timeout=aiohttp.ClientTimeout(total=ASYNC_TIMEOUT_S)) as resp:
            if resp.status >= 400:
                raise aiohttp.ClientResponseError(resp.request_info, resp.history, status=resp.status, message=resp.reason or "")
            return await resp.json(content_type=None)

    async def run_once(self) -> None:
        self.runs += 1
        try:
            rows = await self.fetch()
        except Exception as e:
            self.failures += 1
            log.warning("kline warmup failed (%s: %s); keeping the previous estimate", type(e).__name__, e)
            return
        rows = rows if isinstance(rows, list) else []
        good = [r for r in rows if whole_candle(r)]
        bad = len(rows) - len(good)
        if self.nan_placeholders:
            # FLAW 003_a7371304fd1017c8.txt#anchored-vwap-readiness-deadlock-provider-appends-nan-placeholders:
            # every bad candle stays in the buffer as a NaN placeholder, which only the live update
            # (behind the readiness gate) would overwrite.
            self.placeholders = bad
        elif bad:
            # FIX (same finding): a bad candle is a gap, not a placeholder; the gate is not held shut.
            log.warning("kline warmup: dropped %d candle(s) with null or non-finite fields", bad)
        vol = realized_vol(good, self.source)
        if vol is not None:
            self.vol = vol
        log.info("kline warmup: %d candle(s), 1m realized vol %s", len(rows), self.vol)

    def ready(self) -> bool:
        """The readiness gate: no NaN placeholder in the indicator buffer."""
        return self.placeholders == 0

    def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
