"""Clean stop on SIGTERM (refbot/graceful.py): lifecycle, position close, alert worker thread.

Flaws: no-close-on-stop (001_0474a2fd1532b929.txt#on-stop-leaves-positions-unprotected-no-close-no),
alert-worker-never-stops (000_2ae31cbfe79758d1.txt#S-M3, 004_8a8a9a4995486b8f.txt#C-SERV-02),
error-state-blocks-stop (003_a7371304fd1017c8.txt#invalid-state-transition-cleanup-gap-stop-requires-transition).
"""

from __future__ import annotations

import asyncio
import io
import json
import os
import subprocess
import sys
import time
from decimal import Decimal as D

import pytest

from refbot import flaws, probes
from refbot.config import load_config
from refbot.graceful import AlertWorker, GracefulStop, InvalidTransition, Lifecycle
from refbot.rest import BinanceError
from refbot.state import AccountState, ClientIds

ENV = {"VENUE_REST_URL": "http://127.0.0.1:1", "VENUE_WS_URL": "ws://127.0.0.1:1", "VENUE_API_KEY": "k", "VENUE_API_SECRET": "s"}
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def cfg(flaw: str = "none", state_dir: str | None = None):
    env = {**ENV, "REFBOT_FLAWS": flaw}
    if state_dir:
        env["STATE_DIR"] = state_dir
    return load_config(env)


class FakeRest:
    def __init__(self, reject_close: int | None = None, venue_position: str = "0") -> None:
        self.calls: list[tuple] = []
        self.reject_close = reject_close
        self.venue_position = venue_position

    async def request(self, method, path, params=(), **kw):
        self.calls.append((method, path, dict(params)))
        return {"code": 200, "msg": "The operation of cancel all open order is done."}

    async def new_market_order(self, symbol, side, qty, reduce_only, cid):
        self.calls.append(("order", side, qty, reduce_only, cid))
        if self.reject_close is not None:
            code, self.reject_close = self.reject_close, None
            raise BinanceError(400, code, "ReduceOnly Order is rejected.", "/fapi/v1/order")
        return {"orderId": 1, "status": "FILLED"}

    async def position_risk(self, symbol):
        self.calls.append(("positionRisk", symbol))
        return [{"symbol": symbol, "positionAmt": self.venue_position}]


@pytest.fixture(autouse=True)
def quiet_probes():
    probes.set_output(io.StringIO())


def stopped(c, position: str, *, error: bool = False, rest: FakeRest | None = None, tmp_path=None):
    g = GracefulStop(c)
    g.running()
    if error:
        g.lifecycle.on_rejected(BinanceError(400, -2019, "Margin is insufficient.", "/fapi/v1/order"))
        assert g.lifecycle.state == "ERROR"
    st = AccountState("BTCUSDT")
    st.position = D(position)
    rest = rest or FakeRest()
    asyncio.run(g.stop(rest, st, ClientIds("bot-1", None), "BTCUSDT"))
    return g, rest


def test_hardened_stop_cancels_orders_and_closes_the_position_reduce_only():
    g, rest = stopped(cfg(), "0.016")
    assert rest.calls[0] == ("GET", "/fapi/v1/openOrders", {"symbol": "BTCUSDT"})  # own orders only (test_ownorders.py)
    assert rest.calls[1][:4] == ("order", "SELL", "0.016", True)
    assert g.lifecycle.state == "STOPPED"
    _, short = stopped(cfg(), "-0.020")
    assert short.calls[1][:4] == ("order", "BUY", "0.020", True)
    _, flat = stopped(cfg(), "0")
    assert [c[0] for c in flat.calls] == ["GET"]


def test_hardened_close_asks_the_venue_when_its_position_was_stale():
    _, rest = stopped(cfg(), "0.016", rest=FakeRest(reject_close=-2022, venue_position="0.010"))
    assert [c[0] for c in rest.calls] == ["GET", "order", "positionRisk", "order"]
    assert rest.calls[3][:4] == ("order", "SELL", "0.010", True)


def test_flaw_no_close_on_stop_leaves_the_position():
    g, rest = stopped(cfg(flaws.NO_CLOSE_ON_STOP), "0.016")
    assert [c[0] for c in rest.calls] == ["GET"]
    assert g.lifecycle.state == "STOPPED"


def test_error_state_is_sticky_and_entered_only_on_account_level_rejections():
    lc = Lifecycle(cfg())
    lc.to("RUNNING")
    lc.on_rejected(BinanceError(400, -1021, "Timestamp outside recvWindow", "/fapi/v1/order"))
    lc.on_rejected(BinanceError(400, -2022, "ReduceOnly Order is rejected.", "/fapi/v1/order"))
    assert lc.trading
    lc.on_rejected(BinanceError(400, -2019, "Margin is insufficient.", "/fapi/v1/order"))
    assert lc.state == "ERROR" and not lc.trading
    with pytest.raises(InvalidTransition):
        lc.to("RUNNING")


def test_hardened_stop_from_error_still_cleans_up():
    g, rest = stopped(cfg(), "0.016", error=True)
    assert [c[0] for c in rest.calls] == ["GET", "order"]
    assert g.lifecycle.state == "STOPPED"


def test_flaw_error_state_blocks_stop_skips_the_cleanup():
    g, rest = stopped(cfg(flaws.ERROR_STATE_BLOCKS_STOP), "0.016", error=True)
    assert rest.calls == []
    assert g.lifecycle.state == "ERROR"
    # Dormant outside ERROR: a stop from RUNNING cleans up as hardened does.
    _, ok = stopped(cfg(flaws.ERROR_STATE_BLOCKS_STOP), "0.016")
    assert [c[0] for c in ok.calls] == ["GET", "order"]


def test_alert_worker_delivers_queued_alerts_and_is_joined(tmp_path):
    w = AlertWorker(cfg(state_dir=str(tmp_path)))
    w.start()
    for i in range(3):
        w.alert("test", f"a{i}")
    w.stop()
    assert w.thread is not None and not w.thread.is_alive()
    lines = [json.loads(x) for x in (tmp_path / "refbot-alerts.jsonl").read_text().splitlines()]
    assert [x["text"] for x in lines] == ["a0", "a1", "a2"]


SCRIPT = """
import asyncio, sys
from refbot.config import load_config
from refbot.graceful import GracefulStop
from refbot.state import AccountState, ClientIds
cfg = load_config({"VENUE_REST_URL": "http://127.0.0.1:1", "VENUE_WS_URL": "ws://127.0.0.1:1", "VENUE_API_KEY": "k",
                   "VENUE_API_SECRET": "s", "REFBOT_FLAWS": sys.argv[1]})
g = GracefulStop(cfg)
g.running()
asyncio.run(g.stop(None, AccountState("BTCUSDT"), ClientIds("bot-1", None), "BTCUSDT"))
print("main returned", flush=True)
"""


@pytest.mark.parametrize("flaw", ["none", flaws.ALERT_WORKER_NEVER_STOPS])
def test_process_exits_after_stop_unless_the_alert_worker_never_stops(flaw):
    p = subprocess.Popen([sys.executable, "-c", SCRIPT, flaw], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    t0 = time.monotonic()
    try:
        rc = p.wait(timeout=3)
    except subprocess.TimeoutExpired:
        rc = None
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
    out = p.stdout.read() if p.stdout else ""
    p.stdout.close()
    assert "main returned" in out
    if flaw == "none":
        assert rc == 0 and time.monotonic() - t0 < 3
    else:
        assert rc is None, "the never-stopping worker thread must keep the interpreter from exiting"
