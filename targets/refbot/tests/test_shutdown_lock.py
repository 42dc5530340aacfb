"""shutdown-lock-inversion (004_8a8a9a4995486b8f.txt#H-SERV-05): the stop publishes the STOPPING
transition while holding the lock its handler takes, and deadlocks before any cleanup; hardened
publishes after releasing the lock and cleans up."""

from __future__ import annotations

import asyncio
import io
import threading
from decimal import Decimal as D

import pytest

from refbot import flaws, probes
from refbot.config import load_config
from refbot.graceful import GracefulStop
from refbot.state import AccountState, ClientIds

ENV = {"VENUE_REST_URL": "http://127.0.0.1:1", "VENUE_WS_URL": "ws://127.0.0.1:1", "VENUE_API_KEY": "k", "VENUE_API_SECRET": "s"}


class FakeRest:
    def __init__(self) -> None:
        self.calls: list[tuple] = []

    async def request(self, method, path, params=(), **kw):
        self.calls.append((method, path))
        return {"code": 200}

    async def new_market_order(self, symbol, side, qty, reduce_only, cid):
        self.calls.append(("order", side, qty, reduce_only))
        return {"orderId": 1, "status": "FILLED"}


@pytest.fixture(autouse=True)
def quiet_probes():
    probes.set_output(io.StringIO())


def stop_in_thread(flaw: str) -> tuple[GracefulStop, FakeRest, threading.Thread]:
    g = GracefulStop(load_config({**ENV, "REFBOT_FLAWS": flaw}))
    g.running()
    st = AccountState("BTCUSDT")
    st.position = D("-0.016")
    rest = FakeRest()
    t = threading.Thread(target=lambda: asyncio.run(g.stop(rest, st, ClientIds("bot-1", None), "BTCUSDT")), daemon=True)
    t.start()
    t.join(2.0)
    return g, rest, t


def test_hardened_stop_publishes_outside_the_lock_and_cleans_up():
    g, rest, t = stop_in_thread("none")
    assert not t.is_alive()
    assert g.stopping and g.last_state == "STOPPED" and not g._lock.locked()
    assert rest.calls[0] == ("GET", "/fapi/v1/openOrders")  # own orders only (refbot/ownorders.py)
    assert rest.calls[1] == ("order", "BUY", "0.016", True)


def test_flaw_shutdown_lock_inversion_deadlocks_before_any_cleanup():
    g, rest, t = stop_in_thread(flaws.SHUTDOWN_LOCK_INVERSION)
    try:
        # FLAW 004_8a8a9a4995486b8f.txt#H-SERV-05: stuck in the handler, waiting for its own lock.
        assert t.is_alive()
        assert g._lock.locked() and g.lifecycle.state == "STOPPING"
        assert rest.calls == []  # no cancel, no close
    finally:
        g.alerts.stop()  # the deadlocked (daemon) thread never gets there; release the worker
