"""A halt cancels the working orders that add risk, verified by the venue
(003_a7371304fd1017c8.txt#panic-close-all-marks-orders-cancelled-true-without).

Hardened: targeted DELETEs retried until the venue says each order is final; reduce-only exits are
left alone. Flaw halt-cancel-unverified: one DELETE each, the outcome ignored, success logged.
"""

from __future__ import annotations

import asyncio
import logging
from decimal import Decimal as D

import pytest

from refbot import haltcancel
from refbot.haltcancel import cancel_working_on_halt
from refbot.rest import BinanceError
from refbot.state import AccountState, OwnOrder


class Rest:
    """DELETE fails `fail_deletes` times (503), then cancels; GET answers the order's venue status."""

    def __init__(self, fail_deletes: int) -> None:
        self.fail_deletes = fail_deletes
        self.calls: list[tuple[str, str]] = []
        self.venue_status: dict[str, str] = {}

    async def request(self, method, path, params, signed=False, timeout_s=None):
        cid = dict(params)["origClientOrderId"]
        self.calls.append((method, cid))
        if method == "DELETE":
            if self.fail_deletes > 0:
                self.fail_deletes -= 1
                raise BinanceError(503, -1001, "Internal error", path)
            self.venue_status[cid] = "CANCELED"
            return {"clientOrderId": cid, "status": "CANCELED"}
        return {"clientOrderId": cid, "status": self.venue_status.get(cid, "PARTIALLY_FILLED")}


def state_with_orders() -> AccountState:
    s = AccountState("BTCUSDT")
    s.track(OwnOrder("rb-bot-1-1", "BUY", D("0.016"), False, 1e12))  # adds risk, working
    s.track(OwnOrder("rb-bot-1-2", "SELL", D("0.004"), True, 1e12))  # a reduce-only exit
    for o in s.orders.values():
        o.status = "PARTIALLY_FILLED"
    return s


@pytest.fixture(autouse=True)
def fast(monkeypatch):
    monkeypatch.setattr(haltcancel, "RETRY_S", 0.01)


def test_hardened_retries_until_the_venue_confirms(caplog):
    caplog.set_level(logging.INFO, logger="refbot.haltcancel")
    rest, s = Rest(fail_deletes=3), state_with_orders()
    asyncio.run(cancel_working_on_halt(rest, s, "BTCUSDT", "control-api", verified=True))
    assert [c for c in rest.calls if c[0] == "DELETE"] == [("DELETE", "rb-bot-1-1")] * 4  # 3 refused, the 4th cancels
    assert all(cid == "rb-bot-1-1" for _, cid in rest.calls)  # the reduce-only exit is left alone
    assert s.orders["rb-bot-1-1"].status == "CANCELED" and s.orders["rb-bot-1-2"].status == "PARTIALLY_FILLED"
    assert any("confirmed by the venue" in r.getMessage() for r in caplog.records)


def test_hardened_counts_an_order_that_ended_meanwhile(caplog):
    rest, s = Rest(fail_deletes=1), state_with_orders()
    rest.venue_status["rb-bot-1-1"] = "FILLED"  # the refused DELETE: it had filled in the meantime
    asyncio.run(cancel_working_on_halt(rest, s, "BTCUSDT", "kill-file", verified=True))
    assert rest.calls == [("DELETE", "rb-bot-1-1"), ("GET", "rb-bot-1-1")]


def test_hardened_gives_up_after_the_budget_and_says_so(caplog, monkeypatch):
    monkeypatch.setattr(haltcancel, "BUDGET_S", 0.05)
    caplog.set_level(logging.INFO, logger="refbot.haltcancel")
    rest, s = Rest(fail_deletes=10_000), state_with_orders()
    asyncio.run(cancel_working_on_halt(rest, s, "BTCUSDT", "kill-file", verified=True))
    assert any("could not be cancelled" in r.getMessage() for r in caplog.records)
    assert s.orders["rb-bot-1-1"].status == "PARTIALLY_FILLED"


def test_flaw_tries_once_and_reports_success(caplog):
    caplog.set_level(logging.INFO, logger="refbot.haltcancel")
    rest, s = Rest(fail_deletes=3), state_with_orders()
    asyncio.run(cancel_working_on_halt(rest, s, "BTCUSDT", "control-api", verified=False))
    assert rest.calls == [("DELETE", "rb-bot-1-1")]
    assert any("working orders cancelled" in r.getMessage() for r in caplog.records)


def test_nothing_working_nothing_sent():
    rest, s = Rest(fail_deletes=0), AccountState("BTCUSDT")
    asyncio.run(cancel_working_on_halt(rest, s, "BTCUSDT", "x", verified=True))
    assert rest.calls == []
