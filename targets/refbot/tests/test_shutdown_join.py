"""shutdown-join-under-lock (004_8a8a9a4995486b8f.txt#C-SERV-04): the stop joins its worker threads
under the registry lock their exit path takes to unregister, and deadlocks; hardened joins a
snapshot outside the lock, bounded."""

from __future__ import annotations

import asyncio
import io
import queue
import threading
from decimal import Decimal as D

import pytest

from refbot import flaws, probes
from refbot.config import load_config
from refbot.graceful import GracefulStop
from refbot.state import AccountState, ClientIds
from refbot.workers import Workers

ENV = {"VENUE_REST_URL": "http://127.0.0.1:1", "VENUE_WS_URL": "ws://127.0.0.1:1", "VENUE_API_KEY": "k", "VENUE_API_SECRET": "s"}


class FakeWorker:
    """A daemon worker that unregisters itself from its own thread as it exits, as AlertWorker does."""

    def __init__(self, reg: Workers) -> None:
        self.reg = reg
        self.q: queue.Queue[None] = queue.Queue()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()
        reg.register(self)

    def _run(self) -> None:
        self.q.get()
        self.reg.unregister(self)

    def stop(self, join_s: float | None) -> None:
        self.q.put(None)
        self.thread.join(join_s)


class FakeRest:
    def __init__(self) -> None:
        self.calls: list[tuple] = []

    async def request(self, method, path, params=(), **kw):
        self.calls.append((method, path))
        return []

    async def new_market_order(self, symbol, side, qty, reduce_only, cid):
        self.calls.append(("order", side, qty, reduce_only))
        return {"orderId": 1, "status": "FILLED"}


@pytest.fixture(autouse=True)
def quiet_probes():
    probes.set_output(io.StringIO())


def stop_in_thread(reg: Workers) -> threading.Thread:
    t = threading.Thread(target=lambda: reg.stop_all(1.0), daemon=True)
    t.start()
    t.join(1.5)
    return t


def test_hardened_stop_joins_every_worker_outside_the_lock():
    reg = Workers(frozenset())
    ws = [FakeWorker(reg) for _ in range(3)]
    t = stop_in_thread(reg)
    assert not t.is_alive()
    assert len(reg) == 0 and not any(w.thread.is_alive() for w in ws)


def test_flaw_join_under_lock_deadlocks_with_the_exiting_worker():
    reg = Workers(frozenset({flaws.SHUTDOWN_JOIN_UNDER_LOCK}))
    w = FakeWorker(reg)
    t = stop_in_thread(reg)
    # FLAW 004_8a8a9a4995486b8f.txt#C-SERV-04: the stop waits for the worker, the worker for the lock.
    assert t.is_alive() and w.thread.is_alive()
    assert reg._lock.locked()


def test_graceful_stop_registers_and_joins_the_alert_worker():
    g = GracefulStop(load_config({**ENV, "REFBOT_FLAWS": "none"}))
    g.running()
    assert len(g.workers) == 1
    st = AccountState("BTCUSDT")
    st.position = D("0.016")
    asyncio.run(g.stop(FakeRest(), st, ClientIds("bot-1", None), "BTCUSDT"))
    assert len(g.workers) == 0 and g.alerts.thread is not None and not g.alerts.thread.is_alive()
