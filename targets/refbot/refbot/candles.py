"""The current 1-minute candle a decision uses: the kline stream's live candle, over the REST history.

The market connection carries `<symbol>@kline_1m` beside bookTicker (refbot/bot.py). Live candles
are stored by the interval the stream names (`k.i`: "1m", "15m", "1h"), the way the realtime state
normalises them. The strategy asks for its candle interval in its configuration's minutes notation
(INTERVAL = "1", as in "15", "60"). Before every risk-increasing order the trader asks `current()`
and applies a range guard: no new risk while the candle's high-low range is more than
MAX_RANGE_PCT of its close (a volatility spike). The candle the decision used goes into the order
probe (`candle`: interval, openTime, close, source), which is what the harness checks against the
venue's prices.

Hardened (fix for 003_a7371304fd1017c8.txt#ws-kline-overlay-uses-raw-interval-lookup-15: decisions use
the fresh candle or refuse): the interval is normalised before the lookup ("1" -> "1m", "60" -> "1h");
no live candle received within MAX_AGE_S (a minute: a stream that stopped) means no new risk (probe
skip "candle-stale"), never the REST candle in its place. Second-level staleness of the market data
is the price guard's (refbot/prices.py, REFBOT_MAX_PRICE_AGE_MS): it stops new risk first. Flaw kline-overlay-raw-interval: the lookup uses the raw "1", finds no
live candle, and silently falls back to the last REST candle of the warmup, however old.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from typing import Any, Callable

log = logging.getLogger("refbot.candles")

INTERVAL = "1"  # the strategy's candle interval, in minutes notation
MAX_AGE_S = 60.0  # a live candle received within the last minute; the price guard (REFBOT_MAX_PRICE_AGE_MS) owns second-level staleness
MAX_RANGE_PCT = 5.0
FIRST_CANDLE_WAIT_S = 2.0  # how long the trader waits for the first live candle before its first tick
_UNITS = {1: "1m", 3: "3m", 5: "5m", 15: "15m", 30: "30m", 60: "1h", 120: "2h", 240: "4h", 360: "6h", 480: "8h", 720: "12h"}


def normalize(interval: str) -> str:
    """Minutes notation ("1", "60", "D") to the stream's interval names ("1m", "1h", "1d"); names pass through."""
    if interval.isdigit() and int(interval) in _UNITS:
        return _UNITS[int(interval)]
    return {"D": "1d", "W": "1w", "M": "1M"}.get(interval, interval)


@dataclass(frozen=True)
class Candle:
    interval: str
    open_time: int
    high: float
    low: float
    close: float
    source: str  # "ws" (live) or "rest" (the warmup's history)

    def range_pct(self) -> float:
        return (self.high - self.low) / self.close * 100.0 if self.close > 0 else float("inf")

    def probe(self) -> dict:
        return {"interval": self.interval, "openTime": self.open_time, "close": self.close, "source": self.source}


class LiveCandles:
    def __init__(self, symbol: str, raw_lookup: bool, rest_candle: Callable[[], Any], clock: Callable[[], float] = time.monotonic) -> None:
        self.symbol = symbol
        self.raw_lookup = raw_lookup
        self.rest_candle = rest_candle  # the warmup's last REST row ([openTime, open, high, low, close, ...]) or None
        self.clock = clock
        self.live: dict[str, tuple[Candle, float]] = {}
        self.first = asyncio.Event()  # set by the first live candle (the trader waits a little for it)
        self.refusing = False

    def on_message(self, data: dict) -> bool:
        """Takes a kline event (`{"e":"kline","s","k":{...}}`, also in a combined-stream wrapper); True if it was one."""
        if "stream" in data and isinstance(data.get("data"), dict):
            data = data["data"]
        if data.get("e") != "kline" or data.get("s") != self.symbol or not isinstance(data.get("k"), dict):
            return False
        k = data["k"]
        try:
            c = Candle(str(k["i"]), int(k["t"]), float(k["h"]), float(k["l"]), float(k["c"]), "ws")
        except (KeyError, TypeError, ValueError):
            return True  # a kline we cannot read is not stored
        self.live[c.interval] = (c, self.clock())
        self.first.set()
        return True

    def current(self, interval: str = INTERVAL) -> Candle | None:
        if self.raw_lookup:
            # FLAW 003_a7371304fd1017c8.txt#ws-kline-overlay-uses-raw-interval-lookup-15: the raw "1"
            # is not how the live candles are stored ("1m"), so the overlay never applies and the
            # REST candle is used silently.
            got = self.live.get(interval)
            if got is not None:
                return got[0]
            return self._rest()
        # FIX (same finding): normalised lookup, and a fresh live candle or nothing.
        got = self.live.get(normalize(interval))
        if got is not None and self.clock() - got[1] <= MAX_AGE_S:
            if self.refusing:
                log.warning("live %s candle of %s fresh again; resuming", normalize(interval), self.symbol)
                self.refusing = False
            return got[0]
        if not self.refusing:
            age = "none" if got is None else f"{self.clock() - got[1]:.1f} s old"
            log.warning("no fresh live %s candle of %s (%s): no new risk until one arrives", normalize(interval), self.symbol, age)
            self.refusing = True
        return None

    def _rest(self) -> Candle | None:
        row = self.rest_candle()
        if not isinstance(row, list) or len(row) < 5:
            return None
        try:
            return Candle(normalize(INTERVAL), int(row[0]), float(row[2]), float(row[3]), float(row[4]), "rest")
        except (TypeError, ValueError):
            return None
