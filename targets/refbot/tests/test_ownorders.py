"""own-orders-only (refbot/ownorders.py): the stop cancels the bot's own orders only.

Flaw cancel-all-on-stop (000_2ae31cbfe79758d1.txt#E-M12): cancel-all for the symbol takes the
operator's orders with the bot's; hardened lists the open orders and cancels its own by id.
"""

from __future__ import annotations

import asyncio

from refbot import flaws
from refbot.config import load_config
from refbot.ownorders import cancel_own_orders
from refbot.rest import BinanceError

ENV = {"VENUE_REST_URL": "http://127.0.0.1:1", "VENUE_WS_URL": "ws://127.0.0.1:1", "VENUE_API_KEY": "k", "VENUE_API_SECRET": "s"}
OPEN = [
    {"symbol": "BTCUSDT", "clientOrderId": "rb-bot-1-7", "orderId": 7},
    {"symbol": "BTCUSDT", "clientOrderId": "faultline-manual-f1", "orderId": 8},
    {"symbol": "BTCUSDT", "clientOrderId": "rb-bot-2-3", "orderId": 9},  # another instance's
    {"symbol": "BTCUSDT", "clientOrderId": "rb-bot-1-9", "orderId": 10},
]


class FakeRest:
    def __init__(self, fail_cancel: str | None = None, open_rows=OPEN) -> None:
        self.calls: list[tuple] = []
        self.fail_cancel, self.open_rows = fail_cancel, open_rows

    async def request(self, method, path, params=(), **kw):
        p = dict(params)
        self.calls.append((method, path, p))
        if method == "GET":
            return self.open_rows
        if self.fail_cancel is not None and p.get("origClientOrderId") == self.fail_cancel:
            raise BinanceError(400, -2011, "Unknown order sent.", path)
        return {"status": "CANCELED"}


def run(flaw: str, rest: FakeRest) -> int:
    cfg = load_config({**ENV, "REFBOT_FLAWS": flaw})
    return asyncio.run(cancel_own_orders(rest, cfg, "BTCUSDT", "rb-bot-1-"))


def test_hardened_cancels_its_own_orders_by_id_and_leaves_the_rest():
    rest = FakeRest()
    assert run("none", rest) == 2
    assert rest.calls[0][:2] == ("GET", "/fapi/v1/openOrders")
    deletes = [c for c in rest.calls if c[0] == "DELETE"]
    assert [c[1] for c in deletes] == ["/fapi/v1/order", "/fapi/v1/order"]
    assert [c[2]["origClientOrderId"] for c in deletes] == ["rb-bot-1-7", "rb-bot-1-9"]
    assert not any(c[1] == "/fapi/v1/allOpenOrders" for c in rest.calls)


def test_hardened_goes_on_after_a_failed_targeted_cancel_and_never_widens_it():
    rest = FakeRest(fail_cancel="rb-bot-1-7")
    assert run("none", rest) == 2
    assert [c[2].get("origClientOrderId") for c in rest.calls if c[0] == "DELETE"] == ["rb-bot-1-7", "rb-bot-1-9"]
    assert not any(c[1] == "/fapi/v1/allOpenOrders" for c in rest.calls)


def test_hardened_with_nothing_open_sends_no_cancel():
    rest = FakeRest(open_rows=[])
    assert run("none", rest) == 0
    assert [c[0] for c in rest.calls] == ["GET"]


def test_flaw_cancel_all_on_stop_cancels_every_order_of_the_symbol():
    rest = FakeRest()
    assert run(flaws.CANCEL_ALL_ON_STOP, rest) == 1
    # FLAW 000_2ae31cbfe79758d1.txt#E-M12: one cancel-all, which takes faultline-manual-f1 with it.
    assert rest.calls == [("DELETE", "/fapi/v1/allOpenOrders", {"symbol": "BTCUSDT"})]
