"""Exposure limits counting pending orders and the order cap (refbot/limits.py)."""

import asyncio
import time
from decimal import Decimal as D

from refbot import flaws
from refbot.config import load_config
from refbot.limits import Limits, pending_exposure
from refbot.prices import PriceBook
from refbot.rest import BinanceError
from refbot.state import IN_FLIGHT_TIMEOUT_S, AccountState, ClientIds, OwnOrder
from refbot.strategy import OrderPlan, SymbolFilters, Trader

ENV = {"VENUE_REST_URL": "http://127.0.0.1:1", "VENUE_WS_URL": "ws://127.0.0.1:1", "VENUE_API_KEY": "k", "VENUE_API_SECRET": "s", "REFBOT_PROFILE": "hardened"}
FILTERS = SymbolFilters(tick_size=D("0.10"), step_size=D("0.001"), min_qty=D("0.001"), min_notional=D("100"))


def sell(qty: str, price: float = 60000.0) -> OrderPlan:
    return OrderPlan("SELL", D(qty), False, price, "mid")


def half_filled_short(state: AccountState, age_s: float = 0.0) -> OwnOrder:
    """A SELL 0.016 whose first half filled; the rest still works at the venue."""
    o = OwnOrder("rb-bot-1-3", "SELL", D("0.016"), False, time.monotonic() - age_s, status="PARTIALLY_FILLED", order_id=3, filled=D("0.008"))
    state.track(o)
    state.set_position(D("-0.008"), 60000.0, 1)
    return o


def test_pending_exposure_counts_the_unfilled_rest_of_same_side_working_orders_only():
    state = AccountState("BTCUSDT")
    half_filled_short(state)
    state.track(OwnOrder("x-ro", "SELL", D("0.004"), True, time.monotonic(), status="NEW"))  # reduce-only never adds
    state.track(OwnOrder("x-buy", "BUY", D("0.010"), False, time.monotonic(), status="NEW"))  # other side
    state.track(OwnOrder("x-done", "SELL", D("0.016"), False, time.monotonic(), status="EXPIRED", filled=D("0.008")))
    assert pending_exposure(state, "SELL") == D("-0.008")
    assert pending_exposure(state, "BUY") == D("0.010")


def test_fixed_exposure_counts_position_pending_and_the_new_order():
    state = AccountState("BTCUSDT")
    half_filled_short(state)
    state.set_position(D("0"), 60000.0, 2)  # the filled half was closed; the rest still works
    limits = Limits(state, frozenset(), 1000.0)
    # 0 + -0.008 pending + -0.016 = -0.024 -> 1440 USD > 1050
    assert limits.refuse(sell("0.016")) == "exposure-limit"
    assert limits.refuse(sell("0.008")) is None  # -0.016 -> 960 USD
    assert limits.refuse(OrderPlan("BUY", D("0.016"), True, 60000.0, "mid")) is None  # reduce-only: never refused


def test_flaw_exposure_ignores_pending_checks_the_current_position_only():
    state = AccountState("BTCUSDT")
    half_filled_short(state)
    state.set_position(D("0"), 60000.0, 2)
    limits = Limits(state, frozenset({flaws.EXPOSURE_IGNORES_PENDING}), 1000.0)
    assert limits.refuse(sell("0.016")) is None  # FLAW: -0.024 on the venue if the rest fills
    state.set_position(D("-0.020"), 60000.0, 3)
    assert limits.refuse(sell("0.001")) == "exposure-limit"  # it is a limit on the current position


class LookupVenue:
    def __init__(self, status: str | None) -> None:
        self.status, self.lookups = status, 0

    async def get_order(self, symbol: str, cid: str) -> dict:
        self.lookups += 1
        if self.status is None:
            raise BinanceError(503, -1001, "Service Unavailable.", "/fapi/v1/order")
        return {"clientOrderId": cid, "status": self.status, "executedQty": "0.008"}


def test_fixed_a_working_order_is_looked_up_before_the_in_flight_wait_gives_up_and_stays_pending():
    state = AccountState("BTCUSDT")
    o = half_filled_short(state, age_s=IN_FLIGHT_TIMEOUT_S - 0.5)
    venue = LookupVenue("PARTIALLY_FILLED")
    asyncio.run(Limits(state, frozenset(), 1000.0).verify_overdue(venue, "BTCUSDT"))
    assert venue.lookups == 1
    assert [x.client_id for x in state.in_flight(time.monotonic() + 1.0)] == [o.client_id]  # the wait starts over
    # Young orders are not looked up; a failed lookup changes nothing.
    asyncio.run(Limits(state, frozenset(), 1000.0).verify_overdue(venue, "BTCUSDT"))
    assert venue.lookups == 1
    o.sent_at -= IN_FLIGHT_TIMEOUT_S
    failing = LookupVenue(None)
    asyncio.run(Limits(state, frozenset(), 1000.0).verify_overdue(failing, "BTCUSDT"))
    assert failing.lookups == 1 and state.in_flight() == []


def test_flaw_exposure_ignores_pending_never_looks_up_and_the_wait_assumes_it_done():
    state = AccountState("BTCUSDT")
    half_filled_short(state, age_s=IN_FLIGHT_TIMEOUT_S + 0.5)
    venue = LookupVenue("PARTIALLY_FILLED")
    asyncio.run(Limits(state, frozenset({flaws.EXPOSURE_IGNORES_PENDING}), 1000.0).verify_overdue(venue, "BTCUSDT"))
    assert venue.lookups == 0
    assert state.in_flight() == []


def test_fixed_order_cap_values_the_order_at_the_reference_price():
    state = AccountState("BTCUSDT")
    limits = Limits(state, frozenset(), 1000.0, rest_mid=lambda: (60000.0, time.monotonic()))
    # Sized off a print of a tenth of the price: 0.166 * 6000 = 996 USD, but 9960 USD at the REST mid.
    assert limits.refuse(OrderPlan("BUY", D("0.166"), False, 6000.0, "mid")) == "order-cap"
    assert limits.refuse(OrderPlan("BUY", D("0.016"), False, 60000.0, "mid")) is None
    # Without a fresh REST mid the order is valued at its own estimate (the feed's): not refused.
    stale = Limits(state, frozenset(), 1000.0, rest_mid=lambda: (60000.0, time.monotonic() - 10))
    assert stale.refuse(OrderPlan("BUY", D("0.166"), False, 6000.0, "mid")) is None
    assert stale.refuse(OrderPlan("BUY", D("0.2"), False, 6000.0, "mid")) == "exposure-limit"  # 1200 USD even at its own price
    # REFBOT_MAX_ORDER_QTY bounds the quantity whatever the price.
    capped = Limits(state, frozenset(), 1_000_000.0, max_order_qty=0.01)
    assert capped.refuse(OrderPlan("BUY", D("0.016"), False, 60000.0, "mid")) == "order-cap"


def test_flaw_no_order_size_cap_lets_the_oversized_order_out():
    state = AccountState("BTCUSDT")
    limits = Limits(state, frozenset({flaws.NO_ORDER_SIZE_CAP}), 1000.0, max_order_qty=0.01, rest_mid=lambda: (60000.0, time.monotonic()))
    assert limits.refuse(OrderPlan("BUY", D("0.166"), False, 6000.0, "mid")) is None


def test_config_max_order_qty_is_validated():
    assert load_config(ENV).max_order_qty == 0.0
    assert load_config({**ENV, "REFBOT_MAX_ORDER_QTY": "0.5"}).max_order_qty == 0.5
    try:
        load_config({**ENV, "REFBOT_MAX_ORDER_QTY": "-1"})
    except ValueError as e:
        assert "REFBOT_MAX_ORDER_QTY" in str(e)
    else:
        raise AssertionError("a negative REFBOT_MAX_ORDER_QTY must be refused")


class OrderVenue:
    def __init__(self) -> None:
        self.orders: list[tuple[str, str, bool]] = []
        self.offset_ms = 0

    def now_ms(self) -> int:
        return int(time.time() * 1000)

    async def sync_time(self, max_offset_ms=None) -> int:
        return 0

    async def new_market_order(self, symbol: str, side: str, qty: str, reduce_only: bool, cid: str) -> dict:
        self.orders.append((side, qty, reduce_only))
        return {"orderId": len(self.orders), "status": "NEW"}


def test_trader_asks_the_limits_before_a_risk_increasing_order():
    """Through Trader.tick: the scaled print is refused by the hardened bot, sent by the flawed one."""
    for flawed in (False, True):
        env = {**ENV, "REFBOT_FLAWS": flaws.NO_ORDER_SIZE_CAP if flawed else "none"}
        cfg = load_config(env)
        state = AccountState("BTCUSDT")
        book = PriceBook(clear_on_disconnect=False)
        book.on_connect()
        book.update("BTCUSDT", 5999.9, 6000.1)  # a tenth of the market
        venue = OrderVenue()
        trader = Trader(cfg, venue, book, state, FILTERS, ClientIds("bot-1", None))  # type: ignore[arg-type]
        trader.limits = Limits(state, cfg.flags.flaws, cfg.max_notional_usd, cfg.max_order_qty, lambda: (60000.0, time.monotonic()))
        asyncio.run(trader.tick("LONG"))
        assert venue.orders == ([("BUY", "0.166", False)] if flawed else [])


def test_exposure_limit_defaults_to_three_times_the_sizing_target():
    from refbot.config import load_config

    base = {"VENUE_REST_URL": "http://127.0.0.1:1", "VENUE_WS_URL": "ws://127.0.0.1:1", "VENUE_API_KEY": "k",
            "VENUE_API_SECRET": "s", "SYMBOLS": "BTCUSDT", "BOT_INSTANCE_ID": "bot-1"}
    assert load_config({**base, "REFBOT_MAX_NOTIONAL_USD": "500"}).max_exposure_usd == 1500.0
    assert load_config({**base, "REFBOT_MAX_EXPOSURE_USD": "1000"}).max_exposure_usd == 1000.0
