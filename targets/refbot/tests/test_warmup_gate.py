"""The indicator readiness gate never deadlocks on bad candles.

Fix for 003_a7371304fd1017c8.txt#anchored-vwap-readiness-deadlock-provider-appends-nan-placeholders:
hardened drops candles with null fields (a gap), so the gate opens; flaw warmup-nan-deadlock keeps
them as NaN placeholders that only a later clean warmup clears, and the gate refuses new risk
(never exits) until then.
"""

from __future__ import annotations

import asyncio
import json
from decimal import Decimal as D

import aiohttp
import pytest

from refbot.prices import PriceBook
from refbot.state import AccountState, ClientIds
from refbot.strategy import SymbolFilters, Trader
from refbot.warmup import KlineWarmup, whole_candle

from httpstub import JsonHandler, serving
from test_killswitch import cfg, out  # noqa: F401 (the out fixture)

F = SymbolFilters(tick_size=D("0.10"), step_size=D("0.001"), min_qty=D("0.001"), min_notional=D("100"))


class Klines(JsonHandler):
    null_every = 0  # every n-th candle has null OHLCV (0 = none)

    def do_GET(self) -> None:  # noqa: N802
        rows = []
        for i in range(6):
            row: list = [i * 60_000, "60000", "60010", "59990", str(60_000 + (i % 3) * 10), "12.5"]
            if Klines.null_every and (i + 1) % Klines.null_every == 0:
                row[1:6] = [None] * 5
            rows.append(row)
        self.reply(200, json.dumps(rows).encode())


@pytest.fixture
def klines():
    Klines.null_every = 0
    with serving(Klines) as url:
        yield url


def warm_twice(url: str, placeholders: bool, first_every: int, second_every: int) -> list[tuple[bool, int, float | None]]:
    async def main():
        out = []
        async with aiohttp.ClientSession() as session:
            w = KlineWarmup(session, url, "BTCUSDT", blocking=False, nan_placeholders=placeholders)
            for every in (first_every, second_every):
                Klines.null_every = every
                await w.run_once()
                out.append((w.ready(), w.placeholders, w.vol))
        return out

    return asyncio.run(main())


def test_whole_candle():
    assert whole_candle([0, "1", "2", "0.5", "1.5", "10"])
    assert not whole_candle([0, None, "2", "0.5", "1.5", "10"])
    assert not whole_candle([0, "1", "2", "0.5", "NaN", "10"])
    assert not whole_candle([0, "1", "2"])
    assert not whole_candle("oops")


def test_hardened_drops_null_candles_and_stays_ready(klines):
    (ready1, ph1, vol1), (ready2, ph2, _) = warm_twice(klines, placeholders=False, first_every=2, second_every=1)
    assert ready1 and ph1 == 0 and vol1 is not None  # 3 good candles of 6: still a volatility
    assert ready2 and ph2 == 0  # every candle bad: a gap, the gate stays open


def test_flaw_keeps_nan_placeholders_until_a_clean_warmup(klines):
    (ready1, ph1, _), (ready2, ph2, _) = warm_twice(klines, placeholders=True, first_every=2, second_every=0)
    assert not ready1 and ph1 == 3
    assert ready2 and ph2 == 0  # only a later warmup on whole klines clears them


class Rest:
    def __init__(self) -> None:
        self.posts: list[tuple] = []

    def now_ms(self) -> int:
        return 0

    async def new_market_order(self, symbol, side, qty, reduce_only, cid):
        self.posts.append((side, qty, reduce_only))
        return {"orderId": len(self.posts), "status": "NEW"}


def test_gate_refuses_new_risk_but_not_exits(tmp_path, out):
    c = cfg(str(tmp_path), "none", REFBOT_TIME_SYNC_S="86400")
    book = PriceBook(clear_on_disconnect=False)
    book.update("BTCUSDT", 49999.0, 50001.0)
    state = AccountState("BTCUSDT")
    rest = Rest()
    trader = Trader(c, rest, book, state, F, ClientIds("bot-1", None))  # type: ignore[arg-type]
    trader.warmup = KlineWarmup(None, "http://127.0.0.1:9", "BTCUSDT", blocking=False, nan_placeholders=True)
    trader.warmup.placeholders = 2
    asyncio.run(trader.tick("LONG"))
    assert rest.posts == []
    assert {"probe": "skip", "reason": "warmup", "ageMs": None} in out()
    state.position = D("0.020")
    asyncio.run(trader.tick("FLAT"))
    assert rest.posts == [("SELL", "0.020", True)]  # the exit goes
    trader.warmup.placeholders = 0
    state.position = D("0")
    for o in state.orders.values():
        o.status = "FILLED"  # the exit is done: nothing in flight
    asyncio.run(trader.tick("LONG"))
    assert rest.posts[-1] == ("BUY", "0.020", False)  # gate open: new risk again


def test_synced_candles_go_to_the_store():
    """The kline sync hands what it fetched to the store (refbot/journal.py store_klines)."""
    stored: list = []
    w = KlineWarmup(None, "http://x", "BTCUSDT", blocking=False, store=stored.append, now_ms=lambda: 90 * 60_000)

    async def fetch(url: str):
        start = int(url.split("startTime=")[1])
        return [[start + k * 60_000, "1", "2", "0.5", "1.5", "10"] for k in range(30)]

    w.fetch = fetch  # type: ignore[method-assign]
    asyncio.run(w.run_once())
    assert len(stored) == 1 and len(stored[0]) == 90 and stored[0][0][0] < stored[0][-1][0]
