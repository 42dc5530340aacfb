"""The circuit breaker counts orders, not re-sends (refbot/killswitch.py, refbot/strategy.py).

An intent whose sends fail with 503 is looked up and re-sent with the same clientOrderId, up to
three sends. Hardened: those failures are not rejections, and the breaker does not trip.
Flaw breaker-counts-retries (001_0474a2fd1532b929.txt#circuit-breaker-counts-retried-rejections-as-new-errors):
each failed send counts, so the one order trips the breaker (REFBOT_HALT_AFTER_REJECTS=3) on its own.
"""

from __future__ import annotations

import asyncio
import io
import json

from refbot import probes
from refbot.config import load_config
from refbot.killswitch import KillSwitch
from refbot.prices import PriceBook
from refbot.state import AccountState, ClientIds
from refbot.strategy import Trader

from test_order_retry import ENV, PLAN, F, FakeRest, fast  # noqa: F401 (fast: autouse fixture)


def run(flaws: str, state_dir: str) -> tuple[FakeRest, KillSwitch, list[dict]]:
    out = io.StringIO()
    probes.set_output(out)
    cfg = load_config({**ENV, "REFBOT_PROFILE": "hardened", "REFBOT_FLAWS": flaws, "STATE_DIR": state_dir})
    rest = FakeRest(["503", "503", "503"])
    trader = Trader(cfg, rest, PriceBook(clear_on_disconnect=False), AccountState("BTCUSDT"), F, ClientIds("bot-1", None))  # type: ignore[arg-type]
    trader.recv_window_ms = 0  # no settle wait before the lookup
    ks = KillSwitch(cfg)
    trader.killswitch = ks
    asyncio.run(trader.send(PLAN))
    return rest, ks, [json.loads(line) for line in out.getvalue().splitlines()]


def test_hardened_one_order_sent_three_times_does_not_trip_the_breaker(tmp_path):
    rest, ks, lines = run("", str(tmp_path))
    assert rest.posts == ["rb-bot-1-1"] * 3  # the same order, looked up and re-sent
    assert not ks.halted and ks.rejects == 0
    assert not [p for p in lines if p["probe"] == "halt"]


def test_flaw_counts_every_failed_send_and_halts_on_one_order(tmp_path):
    rest, ks, lines = run("breaker-counts-retries", str(tmp_path))
    assert rest.posts == ["rb-bot-1-1"] * 3
    assert ks.halted
    assert [p for p in lines if p["probe"] == "halt"] == [
        {"probe": "halt", "reason": "consecutive-rejects", "cooldownMs": 5000, "rejects": 3, "code": -1000}
    ]
