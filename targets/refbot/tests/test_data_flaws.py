"""The degenerate-data, step-grid and leaked-session flaws against their fixes:
no-price-sanity (quotes.py), quantize-to-step (sizing.py), leak-session-on-restart (feedwatch.py)."""

from __future__ import annotations

import asyncio
import math
from decimal import Decimal as D

import aiohttp
import pytest
from aiohttp import web

from refbot import feedwatch
from refbot.feedwatch import MarketFeed
from refbot.prices import PriceBook
from refbot.prices import PriceEstimate
from refbot.quotes import degenerate, read_book_ticker
from refbot.sizing import floor_to_step, quantize_to_step
from refbot.strategy import OrderPlan, SkipPlan, SymbolFilters, plan


def tick(b: str, a: str) -> dict:
    return {"e": "bookTicker", "s": "BTCUSDT", "b": b, "a": a, "E": 1}


def fresh_book() -> PriceBook:
    b = PriceBook(clear_on_disconnect=False)
    b.on_connect()
    assert read_book_ticker(tick("59999", "60001"), b, unchecked=False) is not None
    return b


# -- no-price-sanity ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "bid,ask,reason",
    [(0.0, 60001.0, "not-positive"), (-1.0, 60001.0, "not-positive"), (math.nan, 60001.0, "not-finite"), (60000.0, math.inf, "not-finite"), (60002.0, 60001.0, "crossed")],
)
def test_degenerate_quotes_are_named(bid, ask, reason):
    assert degenerate(bid, ask) == reason


def test_sane_quote_is_not_degenerate():
    assert degenerate(59999.0, 60001.0) is None
    assert degenerate(60000.0, 60000.0) is None


def test_flawed_book_takes_a_zero_bid_and_the_mid_halves():
    b = fresh_book()
    assert read_book_ticker(tick("0", "60001"), b, unchecked=True) is not None
    assert b.get_mid("BTCUSDT") == 30000.5
    assert read_book_ticker(tick("NaN", "60001"), b, unchecked=True) is not None
    assert math.isnan(b.get_mid("BTCUSDT"))


def test_hardened_book_drops_the_price_on_a_degenerate_quote_until_a_sane_one():
    b = fresh_book()
    for bad in (tick("0", "60001"), tick("NaN", "60001"), tick("-5", "-4"), tick("60002", "60001")):
        assert read_book_ticker(bad, b, unchecked=False) is None
        assert b.get_mid("BTCUSDT") is None
        assert b.estimate("BTCUSDT", 50000.0, 1000).price is None  # no entry-price fallback either
    assert read_book_ticker(tick("60000", "60002"), b, unchecked=False) is not None
    assert b.estimate("BTCUSDT", 0.0, 1000).price == 60001.0


F = SymbolFilters(tick_size=D("0.1"), step_size=D("0.001"), min_qty=D("0.001"), min_notional=D("100"))


def test_a_zero_bid_doubles_the_flawed_order_and_opens_nothing_hardened():
    flawed, hardened = fresh_book(), fresh_book()
    read_book_ticker(tick("0", "60001"), flawed, unchecked=True)
    read_book_ticker(tick("0", "60001"), hardened, unchecked=False)
    sane = plan("LONG", D(0), PriceEstimate(60000.0, "mid", 0, False), F, 1000.0)
    bad = plan("LONG", D(0), flawed.estimate("BTCUSDT", 0.0, 1000), F, 1000.0)
    assert isinstance(sane, OrderPlan) and isinstance(bad, OrderPlan)
    assert (sane.qty, bad.qty) == (D("0.016"), D("0.033"))
    skip = plan("LONG", D(0), hardened.estimate("BTCUSDT", 0.0, 1000), F, 1000.0)
    assert isinstance(skip, SkipPlan) and skip.reason == "no-price"
    # A reduce-only exit needs no price: hardened still closes a position.
    out = plan("FLAT", D("0.016"), hardened.estimate("BTCUSDT", 0.0, 1000), F, 1000.0)
    assert isinstance(out, OrderPlan) and out.reduce_only and out.side == "SELL"


# -- quantize-to-step ---------------------------------------------------------------------------
Q = SymbolFilters(tick_size=D("0.5"), step_size=D("0.25"), min_qty=D("0.25"), min_notional=D("5"))


def test_quantize_is_off_the_grid_for_a_quarter_step_and_floor_is_not():
    assert quantize_to_step(D("6.3694"), D("0.25")) == D("6.36")
    assert floor_to_step(D("6.3694"), D("0.25")) == D("6.25")
    assert str(floor_to_step(D("6.3694"), D("0.25"))) == "6.25"


@pytest.mark.parametrize("x", ["0.016666", "0.0339", "1.9999", "0.001", "12.3456789"])
def test_quantize_is_dormant_on_power_of_ten_steps(x):
    for step in ("0.001", "0.01", "1"):
        assert quantize_to_step(D(x), D(step)) == floor_to_step(D(x), D(step))


def test_plan_with_quantized_filters_sends_off_grid_quantities():
    est = PriceEstimate(157.0, "mid", 0, False)
    good = plan("LONG", D(0), est, Q, 1000.0)
    bad = plan("LONG", D(0), est, SymbolFilters(Q.tick_size, Q.step_size, Q.min_qty, Q.min_notional, quantize_qty=True), 1000.0)
    assert isinstance(good, OrderPlan) and isinstance(bad, OrderPlan)
    assert good.qty == D("6.25") and good.qty % D("0.25") == 0
    assert bad.qty == D("6.36") and bad.qty % D("0.25") != 0


# -- leak-session-on-restart --------------------------------------------------------------------
async def _feed_restarts(leak: bool) -> tuple[int, int, int]:
    """A market stream that connects and then says nothing: returns (restarts, sockets still open on
    the server side after them, sockets open after the feed is cancelled)."""
    open_ws: set[web.WebSocketResponse] = set()

    async def handler(request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        open_ws.add(ws)
        try:
            async for _ in ws:
                pass
        finally:
            open_ws.discard(ws)
        return ws

    app = web.Application()
    app.router.add_get("/ws/{stream}", handler)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    session = aiohttp.ClientSession()
    ups, downs = [], []

    async def url() -> str:
        return f"ws://127.0.0.1:{port}/ws/btcusdt@bookTicker"

    feed = MarketFeed(session, url, lambda d: None, lambda: ups.append(1), lambda: downs.append(1), 300, leak)
    task = asyncio.create_task(feed.run())
    await asyncio.sleep(2.0)
    during = len(open_ws)
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    await asyncio.sleep(0.3)
    after = len(open_ws)
    for _, s in feed.leaked:
        await s.close()
    await feed.session.close()
    await session.close()
    await runner.cleanup()
    return feed.restarts, during, after


def test_hardened_restart_closes_the_old_stream(monkeypatch):
    monkeypatch.setattr(feedwatch, "CHECK_S", 0.05)
    restarts, during, after = asyncio.run(_feed_restarts(leak=False))
    assert restarts >= 3
    assert during == 1  # one stream at a time, whatever the number of restarts
    assert after == 0


def test_flawed_restart_leaks_a_socket_per_restart(monkeypatch):
    monkeypatch.setattr(feedwatch, "CHECK_S", 0.05)
    restarts, during, after = asyncio.run(_feed_restarts(leak=True))
    assert restarts >= 3
    assert during == restarts + 1  # every restart left its predecessor open
    assert after == 0  # shutdown still cancels them


def test_watchdog_is_off_at_zero_and_waits_for_a_connection():
    t = [0.0]
    feed = MarketFeed(None, None, None, None, None, 0, False, clock=lambda: t[0])  # type: ignore[arg-type]
    feed._up.add(1)
    t[0] = 100.0
    assert not feed.stale()
    feed = MarketFeed(None, None, None, None, None, 2000, False, clock=lambda: t[0])  # type: ignore[arg-type]
    t[0] = 200.0
    assert not feed.stale()  # not connected: reconnecting is run_ws's job
    feed._up.add(1)
    assert feed.stale()
    feed.last_msg = 199.0
    assert not feed.stale()
