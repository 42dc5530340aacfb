"""A rejected exit leaves the position open and is retried (refbot/exitverify.py)."""

import asyncio
import time
from decimal import Decimal as D

import pytest

from refbot import flaws
from refbot.config import load_config
from refbot.exitverify import ExitVerifier
from refbot.prices import PriceBook
from refbot.rest import BinanceError
from refbot.state import AccountState, ClientIds
from refbot.strategy import OrderPlan, SymbolFilters, Trader

ENV = {"VENUE_REST_URL": "http://127.0.0.1:1", "VENUE_WS_URL": "ws://127.0.0.1:1", "VENUE_API_KEY": "k", "VENUE_API_SECRET": "s", "REFBOT_PROFILE": "hardened"}
FILTERS = SymbolFilters(tick_size=D("0.10"), step_size=D("0.001"), min_qty=D("0.001"), min_notional=D("100"))
NO_BOOK = BinanceError(400, -1112, "No orders on book for symbol.", "/fapi/v1/order")
EXIT = OrderPlan("SELL", D("0.016"), True, 60000.0, "mid")


def long_state() -> AccountState:
    s = AccountState("BTCUSDT")
    s.set_position(D("0.016"), 60000.0, 1)
    return s


def test_fixed_a_rejected_exit_leaves_the_position_as_it_was():
    s = long_state()
    v = ExitVerifier(frozenset())
    v.on_failed(s, EXIT, NO_BOOK)
    assert s.position == D("0.016") and not v.waiting()


def test_flaw_exit_assumed_done_books_the_close():
    s = long_state()
    v = ExitVerifier(frozenset({flaws.EXIT_ASSUMED_DONE}))
    v.on_failed(s, EXIT, NO_BOOK)
    assert s.position == D("0") and not v.waiting()


def test_flaw_exit_dropped_silently_waits_for_a_close_never_placed():
    s = long_state()
    v = ExitVerifier(frozenset({flaws.EXIT_DROPPED_SILENTLY}))
    v.on_failed(s, EXIT, NO_BOOK)
    assert s.position == D("0.016") and v.waiting()


@pytest.mark.parametrize("flaw", [flaws.EXIT_ASSUMED_DONE, flaws.EXIT_DROPPED_SILENTLY])
def test_flaws_dormant_for_entries_and_for_clock_or_auth_rejections(flaw):
    s = long_state()
    v = ExitVerifier(frozenset({flaw}))
    v.on_failed(s, OrderPlan("BUY", D("0.016"), False, 60000.0, "mid"), NO_BOOK)  # an entry
    v.on_failed(s, EXIT, BinanceError(400, -1021, "Timestamp outside recvWindow.", "/fapi/v1/order"))
    v.on_failed(s, EXIT, BinanceError(401, -2015, "Invalid API-key.", "/fapi/v1/order"))
    assert s.position == D("0.016") and not v.waiting()


class RejectingVenue:
    """Refuses reduce-only orders (-1112) until `accept` is set; everything is answered at once."""

    def __init__(self) -> None:
        self.orders: list[tuple[str, str, bool]] = []
        self.accept = False
        self.offset_ms = 0

    def now_ms(self) -> int:
        return int(time.time() * 1000)

    async def sync_time(self, max_offset_ms=None) -> int:
        return 0

    async def new_market_order(self, symbol: str, side: str, qty: str, reduce_only: bool, cid: str) -> dict:
        self.orders.append((side, qty, reduce_only))
        if reduce_only and not self.accept:
            raise NO_BOOK
        return {"orderId": len(self.orders), "status": "NEW"}


def run_flat_then_short(flaw: str) -> tuple[RejectingVenue, AccountState]:
    """FLAT exit of a long refused, then the SHORT tick with the venue accepting again."""
    cfg = load_config({**ENV, "REFBOT_FLAWS": flaw or "none"})
    state = long_state()
    book = PriceBook(clear_on_disconnect=False)
    book.on_connect()
    book.update("BTCUSDT", 59999.9, 60000.1)
    venue = RejectingVenue()
    trader = Trader(cfg, venue, book, state, FILTERS, ClientIds("bot-1", None))  # type: ignore[arg-type]
    asyncio.run(trader.tick("FLAT"))
    venue.accept = True
    asyncio.run(trader.tick("SHORT"))
    return venue, state


def test_trader_fixed_re_sends_the_exit_reduce_only():
    venue, state = run_flat_then_short("")
    assert venue.orders == [("SELL", "0.016", True), ("SELL", "0.016", True)]


def test_trader_flaw_exit_assumed_done_plans_the_next_phase_on_a_closed_position():
    venue, state = run_flat_then_short(flaws.EXIT_ASSUMED_DONE)
    assert venue.orders == [("SELL", "0.016", True), ("SELL", "0.016", False)]


def test_trader_flaw_exit_dropped_silently_never_re_sends_it():
    venue, state = run_flat_then_short(flaws.EXIT_DROPPED_SILENTLY)
    assert venue.orders == [("SELL", "0.016", True)]
    assert state.position == D("0.016")
