"""Ambiguous order outcomes (003_a7371304fd1017c8.txt#bybitclient-create-order-is-decorated-with-automatic-retry).

Unit level: the Trader against a scripted fake REST transport. The flaw blind-retry-on-timeout
re-sends a lost order under a new clientOrderId (the venue executes it twice); the hardened bot
keeps the id, looks the order up, and re-sends (same id) only when the venue never placed it.
"""

from __future__ import annotations

import asyncio
import io
import json
from decimal import Decimal as D

import aiohttp
import pytest

from refbot import probes, strategy
from refbot.config import FLAW_BLIND_RETRY_ON_TIMEOUT, load_config
from refbot.prices import PriceBook
from refbot.rest import BinanceError, RestClient, outcome_unknown
from refbot.state import AccountState, ClientIds
from refbot.strategy import OrderPlan, SymbolFilters, Trader

F = SymbolFilters(tick_size=D("0.10"), step_size=D("0.001"), min_qty=D("0.001"), min_notional=D("100"))
PLAN = OrderPlan("BUY", D("0.020"), False, 50000.0, "mid")
ENV = {"VENUE_REST_URL": "http://127.0.0.1:1", "VENUE_WS_URL": "ws://127.0.0.1:1", "VENUE_API_KEY": "k", "VENUE_API_SECRET": "s"}


class FakeRest:
    """Scripted order endpoint. Each POST takes the next step of `script`:
    "ok" executes and answers; "lost" executes and loses the answer (connection dropped);
    "lost-timeout" executes and times out; "503" answers 503 without executing;
    "reject" answers a definite 400 rejection."""

    def __init__(self, script: list[str], lookups: list[str] | None = None) -> None:
        self.script = list(script)
        self.lookup_script = list(lookups or [])
        self.posts: list[str] = []  # clientOrderId of every POST
        self.executed: list[str] = []  # clientOrderId of every order the venue executed
        self.lookups: list[str] = []

    def now_ms(self) -> int:
        return int(asyncio.get_running_loop().time() * 1000)

    async def new_market_order(self, symbol: str, side: str, qty: str, reduce_only: bool, client_order_id: str) -> dict:
        self.posts.append(client_order_id)
        step = self.script.pop(0) if self.script else "ok"
        if step in ("ok", "lost", "lost-timeout"):
            self.executed.append(client_order_id)
        if step == "lost":
            raise aiohttp.ServerDisconnectedError()
        if step == "lost-timeout":
            raise asyncio.TimeoutError()
        if step == "503":
            raise BinanceError(503, -1000, "Service Unavailable", "/fapi/v1/order")
        if step == "reject":
            raise BinanceError(400, -2019, "Margin is insufficient.", "/fapi/v1/order")
        return {"orderId": len(self.executed), "clientOrderId": client_order_id, "status": "NEW"}

    async def get_order(self, symbol: str, client_order_id: str) -> dict:
        self.lookups.append(client_order_id)
        step = self.lookup_script.pop(0) if self.lookup_script else "venue"
        if step == "lost":
            raise aiohttp.ClientConnectionError("connection reset")
        if client_order_id in self.executed:
            return {"orderId": self.executed.index(client_order_id) + 1, "clientOrderId": client_order_id, "status": "FILLED"}
        raise BinanceError(400, -2013, "Order does not exist.", "/fapi/v1/order")


def run_send(rest: FakeRest, profile: str, flaws: str = "", recv_window_ms: int = 0) -> list[dict]:
    out = io.StringIO()
    probes.set_output(out)
    cfg = load_config({**ENV, "REFBOT_PROFILE": profile, "REFBOT_FLAWS": flaws})
    trader = Trader(cfg, rest, PriceBook(clear_on_disconnect=False), AccountState("BTCUSDT"), F, ClientIds("bot-1", None))  # type: ignore[arg-type]
    trader.recv_window_ms = recv_window_ms
    asyncio.run(trader.send(PLAN))
    return [json.loads(line) for line in out.getvalue().splitlines()]


@pytest.fixture(autouse=True)
def fast(monkeypatch):
    monkeypatch.setattr(strategy, "BLIND_RETRY_DELAY_S", 0.0)
    monkeypatch.setattr(strategy, "LOOKUP_DELAY_S", 0.0)
    monkeypatch.setattr(strategy, "SETTLE_MARGIN_MS", 0)


def intents(lines: list[dict]) -> list[tuple[int, str, int]]:
    return [(p["intent"], p["clientOrderId"], p["attempt"]) for p in lines if p["probe"] == "intent"]


@pytest.mark.parametrize("failure", ["lost", "lost-timeout", "503"])
def test_flaw_blind_retry_resends_under_a_new_id(failure):
    rest = FakeRest([failure, "ok"])
    lines = run_send(rest, "naive")
    assert rest.posts == ["rb-bot-1-1", "rb-bot-1-2"]
    assert rest.lookups == []  # never asked what happened to the first one
    assert intents(lines) == [(1, "rb-bot-1-1", 1), (1, "rb-bot-1-2", 2)]
    if failure != "503":
        assert rest.executed == ["rb-bot-1-1", "rb-bot-1-2"]  # one intent, two executions


def test_flaw_blind_retry_gives_up_after_two_resends():
    rest = FakeRest(["lost", "lost", "lost", "ok"])
    run_send(rest, "hardened", flaws=FLAW_BLIND_RETRY_ON_TIMEOUT)  # the flaw alone, via REFBOT_FLAWS
    assert rest.posts == ["rb-bot-1-1", "rb-bot-1-2", "rb-bot-1-3"]
    assert len(rest.executed) == 3


def test_flaw_does_not_retry_a_definite_rejection():
    rest = FakeRest(["reject"])
    lines = run_send(rest, "hardened", flaws=FLAW_BLIND_RETRY_ON_TIMEOUT)  # naive also has retry-permanent-errors
    assert rest.posts == ["rb-bot-1-1"] and rest.executed == []
    assert intents(lines) == [(1, "rb-bot-1-1", 1)]


@pytest.mark.parametrize("failure", ["lost", "lost-timeout"])
def test_hardened_looks_up_a_lost_order_and_does_not_resend(failure):
    rest = FakeRest([failure, "ok"])
    lines = run_send(rest, "hardened")
    assert rest.posts == ["rb-bot-1-1"]
    assert rest.lookups == ["rb-bot-1-1"]
    assert rest.executed == ["rb-bot-1-1"]
    assert intents(lines) == [(1, "rb-bot-1-1", 1)]
    assert {"probe": "lookup", "intent": 1, "clientOrderId": "rb-bot-1-1", "outcome": "placed"} in lines


def test_hardened_resends_with_the_same_id_only_when_not_placed():
    rest = FakeRest(["503", "ok"])
    lines = run_send(rest, "hardened")
    assert rest.posts == ["rb-bot-1-1", "rb-bot-1-1"]  # same clientOrderId: the venue can dedupe it
    assert rest.executed == ["rb-bot-1-1"]
    assert intents(lines) == [(1, "rb-bot-1-1", 1), (1, "rb-bot-1-1", 2)]


def test_hardened_trusts_not_found_only_after_recv_window():
    # The lost request could still execute until its timestamp is older than recvWindow: the bot
    # asks again after that instead of re-sending on the first -2013.
    rest = FakeRest(["503", "ok"])
    run_send(rest, "hardened", recv_window_ms=300)
    assert rest.lookups == ["rb-bot-1-1", "rb-bot-1-1"]
    assert rest.posts == ["rb-bot-1-1", "rb-bot-1-1"]


def test_hardened_never_resends_while_the_outcome_stays_unknown():
    rest = FakeRest(["lost"], lookups=["lost"] * 10)
    lines = run_send(rest, "hardened")
    assert rest.posts == ["rb-bot-1-1"]
    assert len(rest.lookups) == strategy.LOOKUP_TRIES
    assert {"probe": "lookup", "intent": 1, "clientOrderId": "rb-bot-1-1", "outcome": "unknown"} in lines


def test_hardened_trusts_the_user_stream_when_the_lookup_fails():
    rest = FakeRest(["lost"], lookups=["lost"] * 10)
    out = io.StringIO()
    probes.set_output(out)
    cfg = load_config({**ENV, "REFBOT_PROFILE": "hardened"})
    state = AccountState("BTCUSDT")
    trader = Trader(cfg, rest, PriceBook(clear_on_disconnect=False), state, F, ClientIds("bot-1", None))  # type: ignore[arg-type]
    trader.recv_window_ms = 0

    async def go():
        task = asyncio.create_task(trader.send(PLAN))
        while not rest.lookups:
            await asyncio.sleep(0)
        state.on_order_update({"e": "ORDER_TRADE_UPDATE", "o": {"s": "BTCUSDT", "c": "rb-bot-1-1", "X": "FILLED", "i": 1, "x": "TRADE", "l": "0", "z": "0.020"}})
        await task

    asyncio.run(go())
    assert rest.posts == ["rb-bot-1-1"] and len(rest.lookups) < strategy.LOOKUP_TRIES
    assert '"outcome":"placed"' in out.getvalue()


def test_hardened_stops_after_three_attempts_that_were_never_placed():
    rest = FakeRest(["503", "503", "503", "ok"])
    run_send(rest, "hardened")
    assert rest.posts == ["rb-bot-1-1"] * 3 and rest.executed == []


def test_outcome_unknown_classification():
    assert outcome_unknown(asyncio.TimeoutError())
    assert outcome_unknown(aiohttp.ServerDisconnectedError())
    assert outcome_unknown(ConnectionResetError())
    assert outcome_unknown(BinanceError(503, -1000, "Unknown error, please check your request or try again later.", "/p"))
    assert outcome_unknown(BinanceError(500, -500, "", "/p"))
    assert outcome_unknown(BinanceError(408, -1007, "Timeout waiting for response from backend server.", "/p"))
    assert not outcome_unknown(BinanceError(400, -2019, "Margin is insufficient.", "/p"))
    assert not outcome_unknown(BinanceError(429, -1003, "Too many requests.", "/p"))
    assert not outcome_unknown(BinanceError(400, -4116, "clientOrderId is duplicated", "/p"))


def test_order_requests_use_the_short_order_timeout(monkeypatch):
    seen: list[tuple[str, str, float | None]] = []

    async def fake_request(self, method, path, params=(), *, signed=False, keyed=False, timeout_s=None):
        seen.append((method, path, timeout_s))
        return {}

    monkeypatch.setattr(RestClient, "request", fake_request)
    rest = RestClient(None, "http://127.0.0.1:1", "k", "s", order_timeout_s=0.75)  # type: ignore[arg-type]
    asyncio.run(rest.new_market_order("BTCUSDT", "BUY", "0.010", False, "c1"))
    asyncio.run(rest.get_order("BTCUSDT", "c1"))
    assert seen == [("POST", "/fapi/v1/order", 0.75), ("GET", "/fapi/v1/order", 0.75)]
