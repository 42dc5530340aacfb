"""A MARGIN_CALL stops trading (ERROR), and entering ERROR cleans up working orders (004_8a8a9a4995486b8f.txt#H-FSM-05)."""

from __future__ import annotations

import types

from refbot import bot as botmod
from refbot.config import load_config
from refbot.graceful import Lifecycle

ENV = {"VENUE_REST_URL": "http://127.0.0.1:1", "VENUE_WS_URL": "ws://127.0.0.1:1", "VENUE_API_KEY": "k", "VENUE_API_SECRET": "s"}
CALL = {"e": "MARGIN_CALL", "E": 1, "cw": "10", "p": [{"s": "BTCUSDT", "ps": "BOTH", "pa": "0.010", "mt": "CROSSED", "iw": "0", "mp": "60000", "up": "-1", "mm": "2.4"}]}


def running(flaws: str = "none") -> Lifecycle:
    lc = Lifecycle(load_config({**ENV, "REFBOT_FLAWS": flaws}))
    lc.to("RUNNING")
    return lc


def partial_bot(flaws: str = "none"):
    b = botmod.Bot.__new__(botmod.Bot)
    b.cfg = load_config({**ENV, "REFBOT_FLAWS": flaws})
    b.graceful = types.SimpleNamespace(lifecycle=running(flaws))
    b.services = types.SimpleNamespace(on_user=lambda d: None)
    return b


def test_entering_error_calls_on_error_once_with_the_reason():
    lc = running()
    got: list[str] = []
    lc.on_error = got.append
    lc.to("ERROR", "margin call: BTCUSDT")
    lc.to("STOPPING")
    assert got == ["margin call: BTCUSDT"]


def test_a_margin_call_sends_a_running_bot_into_error_and_is_ignored_once_there(caplog):
    b = partial_bot()
    assert b._on_user(CALL) is None
    assert b.graceful.lifecycle.state == "ERROR"
    assert any("MARGIN_CALL from the venue: BTCUSDT BOTH 0.010 (maint 2.4)" in r.message for r in caplog.records)
    b._on_user(CALL)  # no ERROR -> ERROR transition (it would raise)
    assert b.graceful.lifecycle.state == "ERROR"


def test_hardened_error_cancels_working_orders_and_the_flaw_keeps_them():
    calls: list[str] = []
    for flaws, expected in (("none", ["ERROR: margin call"]), ("error-state-keeps-orders", [])):
        calls.clear()
        b = partial_bot(flaws)
        b._on_halt = calls.append  # the verified cancel path (refbot/haltcancel.py), tested there
        b._on_error("margin call")
        assert calls == expected, flaws
