"""Exits are reduce-only (refbot/exits.py): a position on the wrong side is closed first."""

from decimal import Decimal as D

import pytest

from refbot import flaws
from refbot.exits import crosses_zero, exit_first
from refbot.strategy import OrderPlan


def test_crosses_zero():
    assert crosses_zero(D("0.016"), "SELL", D("0.032"))
    assert not crosses_zero(D("0.016"), "SELL", D("0.016"))  # to flat
    assert not crosses_zero(D("0"), "SELL", D("0.016"))  # an entry
    assert not crosses_zero(D("-0.016"), "SELL", D("0.016"))  # deepens


def test_fixed_a_flip_becomes_a_reduce_only_exit_of_the_position():
    flip = OrderPlan("SELL", D("0.032"), False, 60000.0, "mid")  # SHORT while still LONG 0.016
    p = exit_first(D("0.016"), flip, frozenset())
    assert (p.side, p.qty, p.reduce_only, p.price, p.source) == ("SELL", D("0.016"), True, 60000.0, "mid")


def test_flaw_flip_without_reduce_only_exit_sends_the_flip():
    flip = OrderPlan("BUY", D("0.024"), False, 60000.0, "mid")
    assert exit_first(D("-0.008"), flip, frozenset({flaws.FLIP_WITHOUT_REDUCE_ONLY_EXIT})) is flip


def test_dormant_for_entries_and_exits_that_do_not_cross_zero():
    for pos, plan in [
        (D("0"), OrderPlan("BUY", D("0.016"), False, 60000.0, "mid")),
        (D("0.016"), OrderPlan("SELL", D("0.016"), True, 60000.0, "mid")),
        (D("0.008"), OrderPlan("BUY", D("0.008"), False, 60000.0, "mid")),
    ]:
        assert exit_first(pos, plan, frozenset()) is plan


class OrderVenue:
    """Just enough of RestClient for Trader.tick: orders are recorded and answered FILLED."""

    def __init__(self) -> None:
        self.orders: list[tuple[str, str, bool]] = []
        self.offset_ms = 0

    def now_ms(self) -> int:
        import time

        return int(time.time() * 1000)

    async def sync_time(self, max_offset_ms=None) -> int:
        return 0

    async def new_market_order(self, symbol: str, side: str, qty: str, reduce_only: bool, cid: str) -> dict:
        self.orders.append((side, qty, reduce_only))
        return {"orderId": len(self.orders), "status": "FILLED"}


@pytest.mark.parametrize("flawed", [False, True])
def test_tick_on_the_wrong_side_after_a_failed_exit(flawed):
    """SHORT phase while the long is still open (its FLAT exit was rejected)."""
    import asyncio

    from refbot.config import load_config
    from refbot.prices import PriceBook
    from refbot.state import AccountState, ClientIds
    from refbot.strategy import SymbolFilters, Trader

    env = {"VENUE_REST_URL": "http://127.0.0.1:1", "VENUE_WS_URL": "ws://127.0.0.1:1", "VENUE_API_KEY": "k", "VENUE_API_SECRET": "s",
           "REFBOT_PROFILE": "hardened", "REFBOT_FLAWS": flaws.FLIP_WITHOUT_REDUCE_ONLY_EXIT if flawed else "none"}
    f = SymbolFilters(tick_size=D("0.10"), step_size=D("0.001"), min_qty=D("0.001"), min_notional=D("100"))
    state = AccountState("BTCUSDT")
    state.set_position(D("0.020"), 50000.0, 0)
    venue = OrderVenue()
    book = PriceBook(clear_on_disconnect=False)
    book.on_connect()
    book.update("BTCUSDT", 49999.9, 50000.1)
    trader = Trader(load_config(env), venue, book, state, f, ClientIds("bot-1", None))  # type: ignore[arg-type]
    asyncio.run(trader.tick("SHORT"))
    assert venue.orders == ([("SELL", "0.040", False)] if flawed else [("SELL", "0.020", True)])
