"""Flaw user-stream-only-with-position (003_a7371304fd1017c8.txt#websocket-start-can-no-op-when-no-current):
the user-data stream starts only once REST shows a position, so a flat bot sends its first order
blind and learns its fill by polling; hardened starts it at once and waits for it before it is
ready to trade."""

from __future__ import annotations

import asyncio
import types
from decimal import Decimal as D

import pytest

from refbot import bot as botmod
from refbot.config import load_config
from refbot.sdnotify import Notifier
from refbot.state import AccountState

ENV = {"VENUE_REST_URL": "http://127.0.0.1:1", "VENUE_WS_URL": "ws://127.0.0.1:1", "VENUE_API_KEY": "k", "VENUE_API_SECRET": "s"}


def started_after(flaws: str, intent_after_s: float, monkeypatch, polls: list[float] | None = None) -> float | None:
    """How long after start the user stream was started (None: not within 0.5 s), when the trader
    decides its first order `intent_after_s` after start and the venue shows its position to the
    second REST poll after that."""
    started: list[float] = []
    polls = [] if polls is None else polls

    async def fake_stream(*_a, **_k):
        started.append(asyncio.get_running_loop().time())
        await asyncio.sleep(3600)

    async def fake_resync(rest, state, symbol, flaw_set):
        polls.append(asyncio.get_running_loop().time())
        if len(polls) >= 2:
            state.set_position(D("0.016"), 60000.0, 1)

    monkeypatch.setattr(botmod, "run_user_stream", fake_stream)
    monkeypatch.setattr(botmod, "resync_private_state", fake_resync)
    b = botmod.Bot.__new__(botmod.Bot)
    b.cfg = load_config({**ENV, "REFBOT_FLAWS": flaws})
    b.state = AccountState("BTCUSDT")
    b.session = b.liveness = b.rest = None
    b.symbol = "BTCUSDT"
    trader = types.SimpleNamespace(intents=0)

    async def main() -> float | None:
        t0 = asyncio.get_running_loop().time()
        task = asyncio.create_task(b._user_stream(trader))
        await asyncio.sleep(intent_after_s)
        trader.intents = 1
        await asyncio.sleep(1.0 - intent_after_s)
        task.cancel()
        return started[0] - t0 if started else None

    return asyncio.run(main())


def test_hardened_starts_the_user_stream_at_once(monkeypatch):
    polls: list[float] = []
    t = started_after("none", 0.3, monkeypatch, polls)
    assert t is not None and t < 0.05
    assert polls == []


def test_flaw_starts_it_only_once_rest_shows_the_position_of_the_first_order(monkeypatch):
    polls: list[float] = []
    t = started_after("user-stream-only-with-position", 0.3, monkeypatch, polls)
    assert len(polls) == 2  # no poll before the first order; the 2nd poll shows the position
    assert t is not None and t >= 0.3 + 0.2


@pytest.mark.parametrize("flaws, waits", [("none", True), ("user-stream-only-with-position", False)])
def test_trading_waits_for_the_stream_only_when_hardened(flaws, waits):
    b = botmod.Bot.__new__(botmod.Bot)
    b.cfg = load_config({**ENV, "REFBOT_FLAWS": flaws})

    async def main() -> bool:
        b.have_price = asyncio.Event()
        b.have_price.set()
        b.user_up = asyncio.Event()
        b.candles = types.SimpleNamespace(first=asyncio.Event())
        b.candles.first.set()  # the first live candle is in (refbot/candles.py)
        ran = asyncio.Event()
        trader = types.SimpleNamespace(depth=None, run=lambda: ran.wait())
        b.graceful = types.SimpleNamespace(running=lambda: ran.set())
        b.notifier = Notifier({})  # no NOTIFY_SOCKET: READY=1 goes nowhere
        task = asyncio.create_task(b._trade_when_ready(trader))
        await asyncio.sleep(0.1)
        task.cancel()
        return not ran.is_set()

    assert asyncio.run(main()) is waits
