"""Private state after a user-stream gap (refbot/resync.py) and the position the bot trades on
under partial fills (refbot/ledger.py): the flawed behaviour and the fixed one."""

import asyncio
import io
import json
import time
from decimal import Decimal as D

import pytest

from refbot import flaws, probes
from refbot.bot import Bot
from refbot.config import load_config
from refbot.ledger import OrderQtyLedger
from refbot.resync import resync_private_state
from refbot.state import AccountState, OwnOrder

ENV = {"VENUE_REST_URL": "http://127.0.0.1:1", "VENUE_WS_URL": "ws://127.0.0.1:2", "VENUE_API_KEY": "k", "VENUE_API_SECRET": "s"}


class FakeRest:
    """positionRisk and openOrders as the venue would answer them after a gap."""

    def __init__(self, position: str, open_orders: list[dict]) -> None:
        self.position, self.open = position, open_orders
        self.calls: list[str] = []

    def now_ms(self) -> int:
        return int(time.time() * 1000)

    async def position_risk(self, symbol: str) -> list:
        self.calls.append("positionRisk")
        return [{"symbol": symbol, "positionAmt": self.position, "entryPrice": "50000"}]

    async def request(self, method: str, path: str, params=(), *, signed: bool = False, **_kw):
        self.calls.append(f"{method} {path}")
        assert signed and dict(params) == {"symbol": "BTCUSDT"}
        return self.open


@pytest.fixture(autouse=True)
def quiet_probes():
    out = io.StringIO()
    probes.set_output(out)
    yield out


def two_in_flight() -> AccountState:
    st = AccountState("BTCUSDT")
    st.track(OwnOrder("rb-1", "BUY", D("0.02"), False, time.monotonic()))  # still working at the venue
    st.track(OwnOrder("rb-2", "SELL", D("0.01"), True, time.monotonic()))  # ended during the gap
    return st


def test_resync_refetches_positions_then_open_orders_and_keeps_working_orders_in_flight(quiet_probes):
    st = two_in_flight()
    rest = FakeRest("0.010", [{"clientOrderId": "rb-1", "orderId": 7, "status": "PARTIALLY_FILLED", "executedQty": "0.010"}])
    asyncio.run(resync_private_state(rest, st, "BTCUSDT", frozenset()))
    assert rest.calls == ["positionRisk", "GET /fapi/v1/openOrders"]
    assert st.position == D("0.010")
    assert [o.client_id for o in st.in_flight()] == ["rb-1"]  # the trader keeps waiting for it
    assert st.orders["rb-1"].status == "PARTIALLY_FILLED" and st.orders["rb-1"].order_id == 7 and st.orders["rb-1"].filled == D("0.010")
    assert st.orders["rb-2"].status == "EXPIRED"
    assert json.loads(quiet_probes.getvalue().splitlines()[-1]) == {"probe": "resync", "position": "0.010", "openOrders": 1}


def test_flaw_resync_skips_open_orders_assumes_every_order_done():
    st = two_in_flight()
    rest = FakeRest("0.010", [{"clientOrderId": "rb-1", "status": "PARTIALLY_FILLED"}])
    asyncio.run(resync_private_state(rest, st, "BTCUSDT", frozenset({flaws.RESYNC_SKIPS_OPEN_ORDERS})))
    assert rest.calls == ["positionRisk"]
    assert st.in_flight() == []  # the working order is traded over


def test_flaw_no_resync_after_user_stream_gap():
    assert load_config({**ENV, "REFBOT_PROFILE": "hardened"}).flags.resync_position_on_user_reconnect
    only = load_config({**ENV, "REFBOT_PROFILE": "hardened", "REFBOT_FLAWS": flaws.NO_RESYNC_AFTER_USER_STREAM_GAP}).flags
    assert not only.resync_position_on_user_reconnect
    assert not load_config({**ENV, "REFBOT_PROFILE": "naive"}).flags.resync_position_on_user_reconnect


@pytest.mark.parametrize("flaw", ["none", flaws.NO_RESYNC_AFTER_USER_STREAM_GAP])
def test_bot_gap_handling(flaw):
    async def run() -> tuple[Bot, FakeRest]:
        bot = Bot(load_config({**ENV, "REFBOT_PROFILE": "hardened", "REFBOT_FLAWS": flaw}))
        bot.rest = FakeRest("-0.020", [])  # type: ignore[assignment]
        bot._user_down()
        gap = bot.state.needs_resync
        await bot._user_on_up()
        assert bot.user_up.is_set()
        return bot, gap

    bot, gap = asyncio.run(run())
    rest: FakeRest = bot.rest  # type: ignore[assignment]
    if flaw == "none":
        assert gap and not bot.state.needs_resync
        assert rest.calls == ["positionRisk", "GET /fapi/v1/openOrders"] and bot.state.position == D("-0.020")
    else:  # FLAW: marked connected, nothing re-fetched, the stale position stays
        assert not gap and rest.calls == [] and bot.state.position == 0


def otu(cid: str, side: str, last: str, cum: str, status: str, T: int) -> dict:
    return {"e": "ORDER_TRADE_UPDATE", "T": T, "o": {"s": "BTCUSDT", "c": cid, "S": side, "x": "TRADE", "X": status, "l": last, "z": cum, "L": "50000", "T": T}}


def au(pa: str, T: int) -> dict:
    return {"e": "ACCOUNT_UPDATE", "T": T, "a": {"P": [{"s": "BTCUSDT", "pa": pa, "ep": "50000"}]}}


def partial_then_expired(st: AccountState) -> None:
    """BUY 0.020 fills 0.005 + 0.005 in two slices, then the rest expires (as the partial-fills fault does)."""
    st.track(OwnOrder("rb-9", "BUY", D("0.020"), False, time.monotonic()))
    st.on_order_update(otu("rb-9", "BUY", "0.005", "0.005", "PARTIALLY_FILLED", 1000))
    st.on_account_update(au("0.005", 1000))
    st.on_order_update(otu("rb-9", "BUY", "0.005", "0.010", "PARTIALLY_FILLED", 1200))
    st.on_account_update(au("0.010", 1200))
    st.on_order_update({"e": "ORDER_TRADE_UPDATE", "T": 1400, "o": {"s": "BTCUSDT", "c": "rb-9", "S": "BUY", "x": "EXPIRED", "X": "EXPIRED", "l": "0", "z": "0.010", "T": 1400}})


def test_fixed_position_follows_the_venue_through_partial_fills():
    st = AccountState("BTCUSDT")
    partial_then_expired(st)
    assert st.position == D("0.010") and st.orders["rb-9"].filled == D("0.010") and st.in_flight() == []


def test_fixed_position_applies_l_not_z_without_snapshots():
    st = AccountState("BTCUSDT")
    st.track(OwnOrder("rb-9", "BUY", D("0.020"), False, time.monotonic()))
    st.on_order_update(otu("rb-9", "BUY", "0.005", "0.005", "PARTIALLY_FILLED", 1000))
    st.on_order_update(otu("rb-9", "BUY", "0.005", "0.010", "PARTIALLY_FILLED", 1200))
    assert st.position == D("0.010")


def test_flaw_book_order_qty_on_first_fill_leaves_a_phantom_position():
    st = AccountState("BTCUSDT")
    st.ledger = OrderQtyLedger()
    partial_then_expired(st)
    assert st.position == D("0.020")  # the venue holds 0.010


def test_flaw_book_order_qty_is_dormant_when_orders_fill_at_once():
    st = AccountState("BTCUSDT")
    st.ledger = OrderQtyLedger()
    for i, (side, pa) in enumerate([("BUY", "0.020"), ("SELL", "0.000"), ("SELL", "-0.020")]):
        st.track(OwnOrder(f"rb-{i}", side, D("0.020"), False, time.monotonic()))
        st.on_order_update(otu(f"rb-{i}", side, "0.020", "0.020", "FILLED", 1000 + i))
        st.on_account_update(au(pa, 1000 + i))
        assert st.position == D(pa)


def test_bot_wires_the_ledger_only_with_the_flaw():
    assert Bot(load_config({**ENV, "REFBOT_PROFILE": "hardened"})).state.ledger is None
    flawed = Bot(load_config({**ENV, "REFBOT_PROFILE": "hardened", "REFBOT_FLAWS": flaws.BOOK_ORDER_QTY_ON_FIRST_FILL}))
    assert isinstance(flawed.state.ledger, OrderQtyLedger)


def test_listen_key_expired_reconnects_unless_flawed():
    from refbot.resync import on_listen_key_expired
    from refbot.streams import RECONNECT

    assert on_listen_key_expired(frozenset()) == RECONNECT
    assert on_listen_key_expired(frozenset({flaws.NO_RECONNECT_ON_LISTEN_KEY_EXPIRED})) is None


@pytest.mark.parametrize("flaw", ["none", flaws.NO_RECONNECT_ON_LISTEN_KEY_EXPIRED])
def test_user_stream_reconnects_on_listen_key_expired(flaw):
    """run_ws against a socket that pushes listenKeyExpired and stays open: hardened closes it and
    connects again (marking private state for a re-sync); the flaw stays on the dead socket."""
    from aiohttp import ClientSession, web

    from refbot.streams import run_ws

    async def run() -> tuple[int, list[str], bool]:
        connects = 0

        async def ws(req: web.Request) -> web.WebSocketResponse:
            nonlocal connects
            connects += 1
            sock = web.WebSocketResponse()
            await sock.prepare(req)
            await sock.send_str(json.dumps({"e": "listenKeyExpired", "E": 1, "listenKey": "lk"}))
            async for _ in sock:  # left open, like the venue does
                pass
            return sock

        app = web.Application()
        app.router.add_get("/ws/lk", ws)
        runner = web.AppRunner(app)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        bot = Bot(load_config({**ENV, "REFBOT_PROFILE": "hardened", "REFBOT_FLAWS": flaw}))
        events: list[str] = []

        async def url() -> str:
            return f"ws://127.0.0.1:{port}/ws/lk"

        def down() -> None:
            events.append("down")
            bot._user_down()

        async with ClientSession() as session:
            task = asyncio.create_task(run_ws("user", session, url, bot._on_user, lambda: events.append("up"), down))
            await asyncio.sleep(0.8)
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
        await runner.cleanup()
        return connects, events, bot.state.needs_resync

    connects, events, needs_resync = asyncio.run(run())
    if flaw == "none":
        assert connects >= 2 and events[:3] == ["up", "down", "up"] and needs_resync
    else:
        assert connects == 1 and events == ["up"] and not needs_resync
