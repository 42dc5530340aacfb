"""Crash-consistent state: the order-id counter file and the start-up reconciliation (refbot/recovery.py)."""

import asyncio
import json
import os
from decimal import Decimal as D

from refbot import flaws
from refbot.recovery import STATE_FILE, recover_on_start, recovery_base
from refbot.state import AccountState, ClientIds


def used_ids(tmp_path, n):
    ids = ClientIds("bot-1", str(tmp_path))
    return [ids.next() for _ in range(n)]


def test_counter_file_is_written_atomically_and_survives_a_restart(tmp_path):
    assert used_ids(tmp_path, 3) == ["rb-bot-1-1", "rb-bot-1-2", "rb-bot-1-3"]
    assert json.loads((tmp_path / STATE_FILE).read_text()) == {"orderCounter": 3}
    assert not (tmp_path / (STATE_FILE + ".tmp")).exists()
    assert ClientIds("bot-1", str(tmp_path)).next() == "rb-bot-1-4"


def test_flawed_torn_file_restarts_the_counter_at_0_and_reuses_ids(tmp_path):
    before = used_ids(tmp_path, 3)
    (tmp_path / STATE_FILE).write_text('{"orderCoun')  # a write torn by kill -9
    again = ClientIds("bot-1", str(tmp_path), reset_on_corrupt=True)
    assert again.next() == before[0]  # the id of the first order, sent again


def test_hardened_torn_file_is_quarantined_and_no_id_is_reused(tmp_path):
    before = set(used_ids(tmp_path, 3))
    (tmp_path / STATE_FILE).write_bytes(b'{"orderCounter": 3')
    ids = ClientIds("bot-1", str(tmp_path))
    after = [ids.next() for _ in range(5)]
    assert not before & set(after)
    assert ids.counter >= recovery_base() - 1 and len(after[0]) <= 36
    quarantined = [p for p in os.listdir(tmp_path) if p.startswith(STATE_FILE + ".corrupt-")]
    assert len(quarantined) == 1 and (tmp_path / quarantined[0]).read_bytes() == b'{"orderCounter": 3'
    # The rebuilt counter is persisted: the next restart continues from it.
    assert ClientIds("bot-1", str(tmp_path)).next() == f"rb-bot-1-{ids.counter + 1}"


def test_hardened_rejects_valid_json_with_an_invalid_counter(tmp_path):
    for bad in ('{"orderCounter": -5}', '{"orderCounter": "7"}', "[]", "", "\xff\xfe"):
        (tmp_path / STATE_FILE).write_text(bad, encoding="latin-1")
        assert ClientIds("bot-1", str(tmp_path), reset_on_corrupt=True).counter == 0, bad  # file left in place
        assert ClientIds("bot-1", str(tmp_path)).counter >= recovery_base() - 1, bad
        assert not (tmp_path / STATE_FILE).exists(), bad  # quarantined


def test_longest_instance_id_fits_binance_limit(tmp_path):
    (tmp_path / STATE_FILE).write_text("garbage")
    assert len(ClientIds("x" * 20, str(tmp_path)).next()) <= 36


class FakeRest:
    def __init__(self, position="0.016", open_orders=()):
        self.calls = []
        self.position = position
        self.open_orders = list(open_orders)

    def now_ms(self):
        return 1_000

    async def account(self):
        self.calls.append("account")
        return {"positions": [{"symbol": "BTCUSDT", "positionAmt": self.position, "entryPrice": "60000"}]}

    async def position_risk(self, symbol):
        self.calls.append("positionRisk")
        return [{"symbol": symbol, "positionAmt": self.position, "entryPrice": "60000"}]

    async def request(self, method, path, params, signed=False):
        self.calls.append(path)
        return self.open_orders


def test_hardened_start_recovers_position_and_open_orders():
    rest = FakeRest(open_orders=[{"symbol": "BTCUSDT", "clientOrderId": "rb-bot-1-9", "side": "SELL", "origQty": "0.016",
                                   "executedQty": "0", "status": "NEW", "orderId": 42, "reduceOnly": True}])
    st = AccountState("BTCUSDT")
    asyncio.run(recover_on_start(rest, st, "BTCUSDT", frozenset(), warm=True))
    assert rest.calls == ["account", "positionRisk", "/fapi/v1/openOrders"]
    assert st.position == D("0.016") and st.entry_price == 60000.0
    assert [o.client_id for o in st.in_flight()] == ["rb-bot-1-9"] and st.orders["rb-bot-1-9"].order_id == 42


def test_flawed_warm_start_assumes_flat_whatever_the_venue_holds():
    rest = FakeRest()
    st = AccountState("BTCUSDT")
    asyncio.run(recover_on_start(rest, st, "BTCUSDT", frozenset({flaws.NO_RECOVERY_ON_START}), warm=True))
    assert rest.calls == [] and st.position == 0


def test_flawed_cold_start_still_syncs_with_the_venue():
    rest = FakeRest()
    st = AccountState("BTCUSDT")
    asyncio.run(recover_on_start(rest, st, "BTCUSDT", frozenset({flaws.NO_RECOVERY_ON_START}), warm=False))
    assert rest.calls == ["account", "positionRisk", "/fapi/v1/openOrders"] and st.position == D("0.016")


def test_warm_means_an_earlier_process_left_its_state_file(tmp_path):
    assert not ClientIds("bot-1", str(tmp_path)).warm and not ClientIds("bot-1", None).warm
    used_ids(tmp_path, 1)
    assert ClientIds("bot-1", str(tmp_path)).warm
