"""A halt cancels the working orders that add risk, verified by the venue
(003_a7371304fd1017c8.txt#panic-close-all-marks-orders-cancelled-true-without).

Hardened: targeted DELETEs retried until the venue says each order is final; reduce-only exits are
left alone. Flaw halt-cancel-unverified: one DELETE each, the outcome ignored, success logged.
"""

from __future__ import annotations

import asyncio
import json
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


class BatchRest:
    """The venue's own-prefix open orders; batch entries fail for `fail` (once each), single DELETEs succeed."""

    def __init__(self, open_cids: list[str], fail: set[str]) -> None:
        self.open = {c: "NEW" for c in open_cids}
        self.fail = set(fail)
        self.calls: list[tuple[str, str, str]] = []

    async def request(self, method, path, params, signed=False, timeout_s=None):
        p = dict(params)
        self.calls.append((method, path, p.get("origClientOrderIdList") or p.get("origClientOrderId") or ""))
        if path == "/fapi/v1/openOrders":
            return [{"clientOrderId": c, "status": s, "reduceOnly": False} for c, s in self.open.items() if s == "NEW"]
        if path == haltcancel.BATCH_PATH:
            out = []
            for cid in json.loads(p["origClientOrderIdList"]):
                if cid in self.fail:
                    self.fail.discard(cid)
                    out.append({"code": -1001, "msg": "Internal error; unable to process your request. Please try again."})
                else:
                    self.open[cid] = "CANCELED"
                    out.append({"clientOrderId": cid, "status": "CANCELED"})
            return out
        cid = p["origClientOrderId"]
        if method == "DELETE":
            self.open[cid] = "CANCELED"
            return {"clientOrderId": cid, "status": "CANCELED"}
        return {"clientOrderId": cid, "status": self.open.get(cid, "CANCELED")}


LEFT = ["rb-bot-1-p1-f1", "rb-bot-1-p2-f1", "rb-bot-1-p3-f1"]


def test_hardened_batch_cancels_own_prefix_orders_and_retries_a_failed_entry(caplog):
    caplog.set_level(logging.INFO, logger="refbot.haltcancel")
    rest = BatchRest(LEFT + ["someone-else-1"], fail={LEFT[0]})
    asyncio.run(cancel_working_on_halt(rest, AccountState("BTCUSDT"), "BTCUSDT", "control-api", verified=True, prefix="rb-bot-1-"))
    assert [c[1] for c in rest.calls] == ["/fapi/v1/openOrders", haltcancel.BATCH_PATH, "/fapi/v1/order"]
    assert rest.calls[1][2] == '["rb-bot-1-p1-f1","rb-bot-1-p2-f1","rb-bot-1-p3-f1"]'  # Binance's list format, no spaces
    assert rest.calls[2] == ("DELETE", "/fapi/v1/order", LEFT[0])  # the failed entry, again
    assert all(rest.open[c] == "CANCELED" for c in LEFT) and rest.open["someone-else-1"] == "NEW"
    assert any("batch cancel of rb-bot-1-p1-f1 failed: -1001" in r.getMessage() for r in caplog.records)


def test_flaw_batch_shape_mismatch_counts_the_batch_done_and_leaves_the_failed_order_working(caplog):
    caplog.set_level(logging.INFO, logger="refbot.haltcancel")
    rest = BatchRest(LEFT, fail={LEFT[1]})
    asyncio.run(cancel_working_on_halt(rest, AccountState("BTCUSDT"), "BTCUSDT", "x", verified=True, prefix="rb-bot-1-", batch_shape_mismatch=True))
    assert [c[1] for c in rest.calls] == ["/fapi/v1/openOrders", haltcancel.BATCH_PATH]
    assert rest.open[LEFT[1]] == "NEW"  # still working at the venue
    assert any("3 working order(s) cancelled, confirmed by the venue" in r.getMessage() for r in caplog.records)


def test_one_order_goes_in_a_single_delete_not_a_batch():
    rest = BatchRest(LEFT[:1], fail=set())
    asyncio.run(cancel_working_on_halt(rest, AccountState("BTCUSDT"), "BTCUSDT", "x", verified=True, prefix="rb-bot-1-"))
    assert [c[1] for c in rest.calls] == ["/fapi/v1/openOrders", "/fapi/v1/order"]
