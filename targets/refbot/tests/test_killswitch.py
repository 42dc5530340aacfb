"""Kill switch / circuit breaker (refbot/killswitch.py): halts gate every order path, survive a
restart and hold for the cooldown.

Flaws: retry-bypasses-halt (001_0474a2fd1532b929.txt#M1), halt-not-persisted (001_0474a2fd1532b929.txt#M9).
"""

from __future__ import annotations

import asyncio
import io
import json
import os
from decimal import Decimal as D

import aiohttp
import pytest

from refbot import probes
from refbot.config import ConfigError, load_config
from refbot.killswitch import HALT_FILE, KILL_FILE, KillSwitch, counts_as_reject
from refbot.prices import PriceBook
from refbot.rest import BinanceError
from refbot.state import AccountState, ClientIds
from refbot.strategy import OrderPlan, SymbolFilters, Trader

ENV = {"VENUE_REST_URL": "http://127.0.0.1:1", "VENUE_WS_URL": "ws://127.0.0.1:1", "VENUE_API_KEY": "k", "VENUE_API_SECRET": "s"}
F = SymbolFilters(tick_size=D("0.10"), step_size=D("0.001"), min_qty=D("0.001"), min_notional=D("100"))
ENTRY = OrderPlan("BUY", D("0.020"), False, 50000.0, "mid")
REJECT = BinanceError(400, -4131, "The counterparty's best price does not meet the PERCENT_PRICE filter limit.", "/fapi/v1/order")


class Clock:
    def __init__(self) -> None:
        self.t = 1_000_000.0

    def __call__(self) -> float:
        return self.t


@pytest.fixture
def out():
    buf = io.StringIO()
    probes.set_output(buf)
    yield lambda: [json.loads(line) for line in buf.getvalue().splitlines()]
    probes.set_output(io.StringIO())


def cfg(state_dir: str | None, flaws: str = "none", **env: str):
    e = {**ENV, "REFBOT_FLAWS": flaws, **env}
    if state_dir:
        e["STATE_DIR"] = state_dir
    return load_config(e)


def test_config_bounds():
    c = cfg(None)
    assert (c.halt_after_rejects, c.halt_cooldown_ms) == (3, 5000)
    with pytest.raises(ConfigError, match="REFBOT_HALT_AFTER_REJECTS"):
        cfg(None, REFBOT_HALT_AFTER_REJECTS="0")
    with pytest.raises(ConfigError, match="REFBOT_HALT_COOLDOWN_MS"):
        cfg(None, REFBOT_HALT_COOLDOWN_MS="-1")


def test_breaker_counts_consecutive_definite_rejections(tmp_path, out):
    ks = KillSwitch(cfg(str(tmp_path)), Clock())
    ks.on_rejected(REJECT)
    ks.on_rejected(REJECT)
    ks.on_accepted()  # an accepted order breaks the run
    ks.on_rejected(REJECT)
    ks.on_rejected(BinanceError(400, -1021, "Timestamp ahead", "/fapi/v1/order"))  # the clock's own halt
    ks.on_rejected(BinanceError(429, -1003, "Too many requests", "/fapi/v1/order"))  # Retry-After's business
    ks.on_rejected(BinanceError(503, -1001, "Internal error", "/fapi/v1/order"))  # outcome unknown, not a rejection
    assert not ks.halted and ks.may_open_risk()
    ks.on_rejected(REJECT)
    ks.on_rejected(REJECT)
    assert ks.halted and not ks.may_open_risk()
    halt = [p for p in out() if p["probe"] == "halt"]
    assert halt == [{"probe": "halt", "reason": "consecutive-rejects", "cooldownMs": 5000, "rejects": 3, "code": -4131}]
    assert counts_as_reject(REJECT) and not counts_as_reject(asyncio.TimeoutError())


def test_cooldown_then_resume(tmp_path, out):
    clock = Clock()
    ks = KillSwitch(cfg(str(tmp_path)), clock)
    ks.halt("consecutive-rejects")
    clock.t += 4.9
    assert not ks.may_open_risk()
    clock.t += 0.2
    assert ks.may_open_risk()
    assert [p["probe"] for p in out()] == ["halt", "resume"]
    assert not os.path.exists(tmp_path / HALT_FILE)


def test_kill_file_halts_while_present_and_cooldown_counts_from_its_removal(tmp_path, out):
    clock = Clock()
    ks = KillSwitch(cfg(str(tmp_path)), clock)
    assert ks.may_open_risk()
    (tmp_path / KILL_FILE).write_text("operator\n")
    assert not ks.may_open_risk()
    clock.t += 60  # long past the cooldown: the file is still there
    assert not ks.may_open_risk()
    os.remove(tmp_path / KILL_FILE)
    clock.t += 4.0
    assert not ks.may_open_risk()
    clock.t += 2.0
    assert ks.may_open_risk()
    assert [(p["probe"], p["reason"]) for p in out()] == [("halt", "kill-file"), ("resume", "kill-file")]


def test_halt_survives_a_restart(tmp_path, out):
    clock = Clock()
    KillSwitch(cfg(str(tmp_path)), clock).halt("consecutive-rejects")
    assert json.loads((tmp_path / HALT_FILE).read_text())["reason"] == "consecutive-rejects"
    clock.t += 2.0
    again = KillSwitch(cfg(str(tmp_path)), clock)  # the restarted process
    again.restore()
    assert again.halted and not again.may_open_risk()
    restored = out()[-1]
    assert restored["probe"] == "halt" and restored["restored"] is True and restored["cooldownMs"] == 3000
    clock.t += 3.1
    assert again.may_open_risk()


def test_flaw_halt_not_persisted_forgets_the_halt_on_restart(tmp_path, out):
    clock = Clock()
    KillSwitch(cfg(str(tmp_path), "halt-not-persisted"), clock).halt("consecutive-rejects")
    assert not os.path.exists(tmp_path / HALT_FILE)
    again = KillSwitch(cfg(str(tmp_path), "halt-not-persisted"), clock)
    again.restore()
    assert not again.halted and again.may_open_risk()


@pytest.mark.parametrize("content", [b"{not json", b"\xff\xfe\xff\xfe", b"", b"[1, 2]"])
def test_unreadable_persisted_halt_fails_closed(tmp_path, out, content):
    clock = Clock()
    (tmp_path / HALT_FILE).write_bytes(content)
    ks = KillSwitch(cfg(str(tmp_path)), clock)
    ks.restore()
    assert ks.halted and not ks.may_open_risk()  # no trading until the kill switch works again
    aside = [n for n in os.listdir(tmp_path) if n.startswith(HALT_FILE + ".corrupt-")]
    assert len(aside) == 1 and (tmp_path / aside[0]).read_bytes() == content
    assert out()[0] == {"probe": "halt", "reason": "halt-state-unreadable", "cooldownMs": 5000}
    clock.t += 5.1
    assert ks.may_open_risk()
    assert out()[-1] == {"probe": "resume", "cause": "halt-state-unreadable"}  # no reason: every halt is over


def test_flaw_kill_switch_start_failure_swallowed_trades_without_it(tmp_path, out):
    (tmp_path / HALT_FILE).write_bytes(b"\xff\xfe")
    ks = KillSwitch(cfg(str(tmp_path), "kill-switch-start-failure-swallowed"), Clock())
    ks.restore()
    assert not ks.halted and ks.may_open_risk()
    (tmp_path / KILL_FILE).write_text("stop")
    for _ in range(5):
        ks.on_rejected(REJECT)
    assert ks.may_open_risk()  # neither the kill file nor the breaker works any more
    assert out() == []

    async def watch_a_while() -> None:
        task = asyncio.create_task(ks.run())
        await asyncio.sleep(0.6)
        assert not task.done()  # it idles (a finished task would stop the bot) but watches nothing
        task.cancel()

    asyncio.run(watch_a_while())
    assert out() == [] and ks.may_open_risk()


def test_readable_halt_file_leaves_the_flaw_dormant(tmp_path, out):
    clock = Clock()
    KillSwitch(cfg(str(tmp_path)), clock).halt("kill-file")
    ks = KillSwitch(cfg(str(tmp_path), "kill-switch-start-failure-swallowed"), clock)
    ks.restore()
    assert ks.halted and not ks.disabled


class LostOrderRest:
    """The first POST loses its connection without executing; the lookup finds nothing, and while
    the bot waits to be sure, the operator drops the kill file."""

    def __init__(self, kill_file: str) -> None:
        self.kill_file = kill_file
        self.posts: list[str] = []

    def now_ms(self) -> int:
        return int(asyncio.get_running_loop().time() * 1000)

    async def new_market_order(self, symbol, side, qty, reduce_only, cid):
        self.posts.append(cid)
        if len(self.posts) == 1:
            raise aiohttp.ClientConnectionError("connection reset")
        return {"orderId": 7, "clientOrderId": cid, "status": "NEW"}

    async def get_order(self, symbol, cid):
        with open(self.kill_file, "w") as f:
            f.write("stop\n")
        raise BinanceError(400, -2013, "Order does not exist.", "/fapi/v1/order")


def resend_under_kill_file(tmp_path, flaws: str) -> tuple[LostOrderRest, Trader]:
    rest = LostOrderRest(str(tmp_path / KILL_FILE))
    c = cfg(str(tmp_path), flaws)
    trader = Trader(c, rest, PriceBook(clear_on_disconnect=False), AccountState("BTCUSDT"), F, ClientIds("bot-1", None))  # type: ignore[arg-type]
    trader.recv_window_ms = 0  # the lost request can no longer execute 250 ms after it was sent
    trader.killswitch = KillSwitch(c)
    asyncio.run(trader.send(ENTRY))
    return rest, trader


def test_hardened_retry_path_asks_the_halt_gate(tmp_path, out):
    rest, trader = resend_under_kill_file(tmp_path, "none")
    assert len(rest.posts) == 1  # the re-send was not sent
    assert trader.state.orders[rest.posts[0]].status == "REJECTED"  # known not placed: not in flight
    probes_seen = out()
    assert {"probe": "halt", "reason": "kill-file", "cooldownMs": 5000} in probes_seen
    assert probes_seen[-1] == {"probe": "skip", "reason": "halt", "ageMs": None}


def test_flaw_retry_bypasses_halt(tmp_path, out):
    rest, _ = resend_under_kill_file(tmp_path, "retry-bypasses-halt")
    assert len(rest.posts) == 2 and rest.posts[0] == rest.posts[1]  # re-sent while the kill file is there
    assert os.path.exists(tmp_path / KILL_FILE)


def test_tick_gate_blocks_new_risk_but_not_exits(tmp_path, out):
    class Rest:
        def __init__(self) -> None:
            self.posts: list[tuple] = []

        def now_ms(self) -> int:
            return 0

        async def new_market_order(self, symbol, side, qty, reduce_only, cid):
            self.posts.append((side, qty, reduce_only))
            return {"orderId": len(self.posts), "status": "NEW"}

    c = cfg(str(tmp_path), "none", REFBOT_TIME_SYNC_S="86400")
    book = PriceBook(clear_on_disconnect=False)
    book.update("BTCUSDT", 49999.0, 50001.0)
    state = AccountState("BTCUSDT")
    rest = Rest()
    trader = Trader(c, rest, book, state, F, ClientIds("bot-1", None))  # type: ignore[arg-type]
    trader.killswitch = KillSwitch(c)
    (tmp_path / KILL_FILE).write_text("")
    asyncio.run(trader.tick("LONG"))
    assert rest.posts == []  # no new risk: the halt gate said so
    assert {"probe": "skip", "reason": "halt", "ageMs": None} in out()
    state.position = D("0.020")
    asyncio.run(trader.tick("FLAT"))
    assert rest.posts == [("SELL", "0.020", True)]  # the exit goes
