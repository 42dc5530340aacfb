"""Indicator warmup: the last WARMUP_CANDLES one-minute klines (GET /fapi/v1/klines) give the
realized volatility the strategy logs beside its orders. It runs when the market stream comes up,
at start and again after every reconnect (the indicator history has a hole after a gap). The history
is read in PAGES pages of PAGE_CANDLES candles by startTime, oldest first, PAGE_PAUSE_S apart (as a
sync that respects the request weight limit does), and merged by open time.

Hardened (fix for 001_0474a2fd1532b929.txt#M3): an async request on the bot's session (so through
its outbound guard) bounded by ASYNC_TIMEOUT_S, in a task of its own; a slow or failing endpoint
leaves the previous estimate in place and never holds the event loop.

Flaw blocking-kline-warmup (001_0474a2fd1532b929.txt#M3): the warmup is a synchronous HTTP call
(urllib, like binance_warmer.py's requests) made from the event loop thread: while the klines
endpoint is slow, market data, heartbeats and trading all freeze until it answers.
Dormant while /fapi/v1/klines answers promptly.

Paging (fix for 003_a7371304fd1017c8.txt#fetch-from-api-swallows-api-exceptions-as-break): a page
that fails ends the run with a known gap; the readiness gate stays shut (no new risk) and the whole
warmup is retried every RETRY_S until every page has come back. Flaw kline-page-error-swallowed
(same finding: "_fetch_from_api() swallows API exceptions as break", and the sync still records the
history as fresh): a failed page ends the loop as if the history were complete; the indicator runs
on the pages before it and the gate opens. Dormant while /fapi/v1/klines answers.

Readiness gate (refbot/strategy.py asks `ready()` before any risk-increasing order): the indicator
buffer must hold no NaN placeholder and no known gap. Hardened (fix for 003_a7371304fd1017c8.txt#anchored-vwap-readiness-deadlock-provider-appends-nan-placeholders):
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
import time
import urllib.request
from collections.abc import Callable
from typing import Any

import aiohttp

from .volsource import VOL_SOURCES

log = logging.getLogger("refbot.warmup")

PATH = "/fapi/v1/klines"
PAGE_CANDLES = 30
PAGES = 3
WARMUP_CANDLES = PAGE_CANDLES * PAGES
PAGE_PAUSE_S = 0.2
RETRY_S = 1.0
MINUTE_MS = 60_000
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
        self,
        session: aiohttp.ClientSession | None,
        rest_url: str,
        symbol: str,
        blocking: bool,
        source: str = "close",
        nan_placeholders: bool = False,
        swallow_page_errors: bool = False,
        now_ms: Callable[[], int] | None = None,
        store: Callable[[list], None] | None = None,
    ) -> None:
        self.session = session
        self.nan_placeholders = nan_placeholders
        self.placeholders = 0  # NaN placeholders in the indicator buffer (flaw warmup-nan-deadlock only)
        self.source = source
        self.url = f"{rest_url}{PATH}?symbol={symbol}&interval=1m&limit={PAGE_CANDLES}"
        self.blocking = blocking
        self.swallow_page_errors = swallow_page_errors
        self.now_ms = now_ms or (lambda: int(time.time() * 1000))
        self.store = store  # where the synced candles are kept (refbot/journal.py store_klines)
        self.gap = False  # a page failed and has not been fetched since: the gate holds new risk
        self._retry: asyncio.TimerHandle | None = None
        self.vol: float | None = None
        self.last_row: Any = None  # the newest whole candle of the last warmup (refbot/candles.py)
        self.runs = 0
        self.failures = 0
        self._task: asyncio.Task | None = None

    def trigger(self) -> None:
        """Called on the loop when the market stream comes up; one warmup at a time."""
        if self._task is not None and not self._task.done():
            return
        self._task = asyncio.get_running_loop().create_task(self.run_once(), name="warmup")

    def page_urls(self) -> list[str]:
        """The pages of the last WARMUP_CANDLES minutes (the current one included), oldest first."""
        first = (self.now_ms() // MINUTE_MS - WARMUP_CANDLES + 1) * MINUTE_MS
        return [f"{self.url}&startTime={first + k * PAGE_CANDLES * MINUTE_MS}" for k in range(PAGES)]

    async def fetch(self, url: str) -> Any:
        if self.blocking:
            # FLAW 001_0474a2fd1532b929.txt#M3: a blocking HTTP call on the event loop thread.
            with urllib.request.urlopen(url, timeout=SYNC_TIMEOUT_S) as resp:
                return json.loads(resp.read() or b"null")
        assert self.session is not None
        # FIX 001_0474a2fd1532b929.txt#M3: async and bounded; the loop keeps running meanwhile.
        async with self.session.get(url, timeout=aiohttp.ClientTimeout(total=ASYNC_TIMEOUT_S)) as resp:
            if resp.status >= 400:
                raise aiohttp.ClientResponseError(resp.request_info, resp.history, status=resp.status, message=resp.reason or "")
            return await resp.json(content_type=None)

    async def run_once(self) -> None:
        self.runs += 1
        by_open: dict[Any, Any] = {}
        for k, url in enumerate(self.page_urls()):
            if k:
                await asyncio.sleep(PAGE_PAUSE_S)
            try:
                page = await self.fetch(url)
            except Exception as e:
                self.failures += 1
                if self.swallow_page_errors:
                    # FLAW 003_a7371304fd1017c8.txt#fetch-from-api-swallows-api-exceptions-as-break: the
                    # failed page ends the loop as if the history were complete.
                    log.warning("kline page %d/%d failed (%s); using the %d candle(s) fetched", k + 1, PAGES, type(e).__name__, len(by_open))
                    break
                # FIX (same finding): a known gap. The gate holds new risk, and the warmup runs again.
                self.gap = True
                log.warning("kline page %d/%d failed (%s: %s); history has a gap: no new risk, retrying in %.1f s", k + 1, PAGES, type(e).__name__, e, RETRY_S)
                self._schedule_retry()
                return
            for r in page if isinstance(page, list) else []:
                by_open[r[0] if isinstance(r, list) and r else id(r)] = r
        self.gap = False
        rows = [by_open[t] for t in sorted(by_open, key=lambda t: t if isinstance(t, (int, float)) else 0)]
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
        if good:
            self.last_row = good[-1]
            if self.store is not None:
                self.store(good)
        vol = realized_vol(good, self.source)
        if vol is not None:
            self.vol = vol
        log.info("kline warmup: %d candle(s), 1m realized vol %s", len(rows), self.vol)

    def _schedule_retry(self) -> None:
        if self._retry is not None:
            self._retry.cancel()
        self._retry = asyncio.get_running_loop().call_later(RETRY_S, self.trigger)

    def ready(self) -> bool:
        """The readiness gate: no NaN placeholder in the indicator buffer, no page known missing."""
        return self.placeholders == 0 and not self.gap

    def close(self) -> None:
        if self._retry is not None:
            self._retry.cancel()
        if self._task is not None:
            self._task.cancel()
