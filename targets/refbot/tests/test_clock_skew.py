"""Clock skew must fail closed (003_a7371304fd1017c8.txt#sync-server-time-raises-on-critical-ahead-of).

Unit level: the Trader against a fake venue whose server time can be skewed. The real RestClient
signs and syncs (its `request` is replaced by the fake venue), so the drift guard, the offset and
the -1021 rule are exercised as in a run. The flaw reset-clock-offset-on-error swallows the guard's
error, resets the offset to 0 and keeps sending (every order meets -1021); the hardened bot halts
new risk while |offset| > REFBOT_MAX_CLOCK_OFFSET_MS, still exits reduce-only with a freshly
measured offset, and resumes once a later sync finds the offset back within bounds.
"""

from __future__ import annotations

import asyncio
import io
import json
import time
from decimal import Decimal as D

import pytest

from refbot import probes
from refbot.config import FLAW_RESET_CLOCK_OFFSET_ON_ERROR, KNOWN_FLAWS, ConfigError, load_config
from refbot.prices import PriceBook
from refbot.rest import BinanceError, ClockSkewError, RestClient
from refbot.state import AccountState, ClientIds
from refbot.strategy import SymbolFilters, Trader

F = SymbolFilters(tick_size=D("0.10"), step_size=D("0.001"), min_qty=D("0.001"), min_notional=D("100"))
ENV = {"VENUE_REST_URL": "http://127.0.0.1:1", "VENUE_WS_URL": "ws://127.0.0.1:1", "VENUE_API_KEY": "k", "VENUE_API_SECRET": "s"}


class SkewedVenue(RestClient):
    """RestClient whose transport is a venue with a skewable clock (Binance's -1021 rules)."""

    def __init__(self, state: AccountState) -> None:
        super().__init__(None, "http://venue", "k", "s")  # type: ignore[arg-type]
        self.state = state
        self.venue_offset_ms = 0
        self.time_fails = False
        self.posts: list[tuple[str, bool]] = []  # (side, reduceOnly) of every order POST
        self.accepted: list[tuple[str, bool]] = []
        self.rejected_1021 = 0
        self.syncs = 0

    async def request(self, method, path, params=(), *, signed=False, keyed=False, timeout_s=None):
        server = int(time.time() * 1000) + self.venue_offset_ms
        if path == "/fapi/v1/time":
            self.syncs += 1
            if self.time_fails:
                raise asyncio.TimeoutError()
            return {"serverTime": server}
        assert path == "/fapi/v1/order" and signed
        p = dict(params)
        reduce_only = p.get("reduceOnly") == "true"
        self.posts.append((p["side"], reduce_only))
        ts = self.now_ms()
        if ts > server + 1000:
            self.rejected_1021 += 1
            raise BinanceError(400, -1021, "Timestamp for this request was 1000ms ahead of the server's time.", path)
        if ts < server - 5000:
            self.rejected_1021 += 1
            raise BinanceError(400, -1021, "Timestamp for this request is outside of the recvWindow.", path)
        self.accepted.append((p["side"], reduce_only))
        qty = D(p["quantity"])
        # The user stream reports the fill at once.
        self.state.on_order_update(
            {"e": "ORDER_TRADE_UPDATE", "T": server, "o": {"s": "BTCUSDT", "c": p["newClientOrderId"], "S": p["side"], "X": "FILLED", "x": "TRADE", "l": str(qty), "z": str(qty), "L": "50000", "i": len(self.accepted), "T": server}}
        )
        return {"orderId": len(self.accepted), "status": "NEW"}


def make(profile: str, flaws: str = "") -> tuple[Trader, SkewedVenue, io.StringIO]:
    out = io.StringIO()
    probes.set_output(out)
    cfg = load_config({**ENV, "REFBOT_PROFILE": profile, "REFBOT_FLAWS": flaws})
    state = AccountState("BTCUSDT")
    venue = SkewedVenue(state)
    book = PriceBook(clear_on_disconnect=False)
    book.on_connect()
    trader = Trader(cfg, venue, book, state, F, ClientIds("bot-1", None))
    return trader, venue, out


def tick(trader: Trader, phase: str) -> None:
    trader.book.update("BTCUSDT", 49999.9, 50000.1)
    asyncio.run(trader.tick(phase))


def lines(out: io.StringIO) -> list[dict]:
    return [json.loads(x) for x in out.getvalue().splitlines()]


def test_sync_time_raises_beyond_the_maximum_and_keeps_the_offset():
    venue = SkewedVenue(AccountState("BTCUSDT"))
    venue.venue_offset_ms = -5000
    with pytest.raises(ClockSkewError) as e:
        asyncio.run(venue.sync_time(1000))
    assert -5200 < e.value.offset_ms < -4800
    assert venue.offset_ms == 0  # not applied
    assert -5200 < asyncio.run(venue.sync_time()) < -4800  # no guard: applied


def test_config_defaults_and_flaw_set():
    cfg = load_config(ENV)
    assert (cfg.time_sync_s, cfg.max_clock_offset_ms) == (10.0, 1000)
    cfg = load_config({**ENV, "REFBOT_TIME_SYNC_S": "2.5", "REFBOT_MAX_CLOCK_OFFSET_MS": "300"})
    assert (cfg.time_sync_s, cfg.max_clock_offset_ms) == (2.5, 300)
    assert FLAW_RESET_CLOCK_OFFSET_ON_ERROR in KNOWN_FLAWS
    assert load_config({**ENV, "REFBOT_PROFILE": "naive"}).flags.reset_clock_offset_on_error
    assert not load_config({**ENV, "REFBOT_PROFILE": "hardened"}).flags.reset_clock_offset_on_error
    with pytest.raises(ConfigError, match="REFBOT_MAX_CLOCK_OFFSET_MS"):
        load_config({**ENV, "REFBOT_MAX_CLOCK_OFFSET_MS": "0"})


def test_flaw_resets_the_offset_and_keeps_sending_with_a_bad_clock():
    trader, venue, out = make("naive")
    venue.venue_offset_ms = -5000
    for phase in ("LONG", "LONG", "LONG", "LONG"):
        tick(trader, phase)
    assert venue.posts == [("BUY", False)] * 4  # every tick tries again ...
    assert venue.rejected_1021 == 4  # ... and meets -1021 every time
    assert venue.accepted == []
    assert trader.rest.offset_ms == 0  # the guard's error was swallowed, the offset reset
    assert not any(p["probe"] == "halt" for p in lines(out))


def test_flaw_alone_via_refbot_flaws():
    trader, venue, _ = make("hardened", flaws=FLAW_RESET_CLOCK_OFFSET_ON_ERROR)
    venue.venue_offset_ms = -5000
    tick(trader, "LONG")
    tick(trader, "LONG")
    assert venue.rejected_1021 == 2 and trader.clock_halt is None


def test_hardened_halts_on_skew_exits_reduce_only_and_resumes():
    trader, venue, out = make("hardened")
    tick(trader, "LONG")
    assert venue.accepted == [("BUY", False)]
    venue.venue_offset_ms = -5000
    tick(trader, "SHORT")  # from +0.020: the long is closed reduce-only first (refbot/exits.py) -> -1021, then halt
    assert venue.rejected_1021 == 1
    halts = [p for p in lines(out) if p["probe"] == "halt"]
    assert len(halts) == 1 and halts[0]["reason"] == "clock-skew" and -5200 < halts[0]["offsetMs"] < -4800
    assert trader.clock_halt is not None
    tick(trader, "LONG")  # position already long: nothing to do
    tick(trader, "SHORT")  # the flip to SHORT is risk-increasing: skipped
    assert venue.posts == [("BUY", False), ("SELL", True)]
    assert {"probe": "skip", "reason": "clock-skew", "ageMs": None} in lines(out)
    tick(trader, "FLAT")  # reduce-only exit, signed with the freshly measured offset: accepted
    assert venue.accepted[-1] == ("SELL", True)
    assert venue.rejected_1021 == 1
    assert trader.state.position == 0
    venue.venue_offset_ms = 0
    tick(trader, "LONG")  # the sync finds the clocks agree again: resume and trade
    assert trader.clock_halt is None
    assert venue.accepted[-1] == ("BUY", False)
    resumes = [p for p in lines(out) if p["probe"] == "resume"]
    assert len(resumes) == 1 and abs(resumes[0]["offsetMs"]) < 200
    assert len([p for p in lines(out) if p["probe"] == "halt"]) == 1


def test_hardened_skips_exits_when_the_clock_cannot_be_measured():
    trader, venue, out = make("hardened")
    tick(trader, "LONG")
    venue.venue_offset_ms = -5000
    tick(trader, "SHORT")
    assert trader.clock_halt is not None
    venue.time_fails = True
    n = len(venue.posts)
    tick(trader, "FLAT")  # an exit, but no valid timestamp can be had: skipped
    assert len(venue.posts) == n
    assert trader.state.position == D("0.020")
    assert trader.clock_halt is not None  # still halted


def test_periodic_sync_finds_a_skew_before_any_order_fails():
    trader, venue, out = make("hardened")
    venue.venue_offset_ms = 3000  # venue ahead: orders would still be accepted (within recvWindow)
    trader.last_sync -= trader.cfg.time_sync_s
    tick(trader, "LONG")
    assert venue.syncs == 1 and trader.clock_halt is not None
    assert venue.posts == []
    tick(trader, "LONG")
    assert venue.syncs == 2  # every tick while halted


def test_no_sync_before_the_interval_when_the_clock_is_fine():
    trader, venue, _ = make("hardened")
    tick(trader, "LONG")
    tick(trader, "FLAT")
    assert venue.syncs == 0
    assert venue.accepted == [("BUY", False), ("SELL", True)]
