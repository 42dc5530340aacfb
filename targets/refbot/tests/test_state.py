"""Position tracking from user-stream events (no double counting) and client order ids."""

from decimal import Decimal as D

from refbot.state import AccountState, ClientIds, OwnOrder


def otu(c, side, qty, price, T, x="TRADE", X="FILLED"):
    return {"e": "ORDER_TRADE_UPDATE", "T": T, "o": {"s": "BTCUSDT", "c": c, "S": side, "x": x, "X": X, "i": 7,
                                                     "l": qty, "z": qty, "L": price, "T": T}}


def au(pa, ep, T):
    return {"e": "ACCOUNT_UPDATE", "T": T, "a": {"P": [{"s": "BTCUSDT", "pa": pa, "ep": ep, "ps": "BOTH"}]}}


def test_fill_then_account_update_counts_once():
    s = AccountState("BTCUSDT")
    s.track(OwnOrder("rb-1", "BUY", D("0.02"), False, 0.0))
    s.on_order_update(otu("rb-1", "BUY", "0.020", "50000", T=100))
    assert s.position == D("0.020") and s.entry_price == 50000.0
    assert s.orders["rb-1"].status == "FILLED" and s.orders["rb-1"].order_id == 7
    s.on_account_update(au("0.020", "50000", T=100))
    assert s.position == D("0.020")


def test_account_update_then_fill_counts_once():
    s = AccountState("BTCUSDT")
    s.on_account_update(au("-0.020", "51000", T=200))
    s.on_order_update(otu("x", "SELL", "0.020", "51000", T=200))
    assert s.position == D("-0.020")
    s.on_order_update(otu("y", "BUY", "0.020", "52000", T=201))  # later fill: applied
    assert s.position == 0 and s.entry_price == 0.0
    assert s.last_entry_price == 51000.0  # remembered while flat (naive's fallback)


def test_other_symbols_and_non_trades_ignored():
    s = AccountState("BTCUSDT")
    s.on_order_update(otu("x", "BUY", "1", "1", T=1, x="NEW", X="NEW"))
    ev = otu("x", "BUY", "1", "1", T=2)
    ev["o"]["s"] = "ETHUSDT"
    s.on_order_update(ev)
    assert s.position == 0


def test_position_risk_snapshot_and_in_flight_expiry():
    s = AccountState("BTCUSDT")
    s.apply_position_risk([{"symbol": "ETHUSDT", "positionAmt": "5", "entryPrice": "1"},
                           {"symbol": "BTCUSDT", "positionAmt": "0.010", "entryPrice": "49000"}], as_of_ms=10)
    assert (s.position, s.entry_price, s.last_entry_price) == (D("0.010"), 49000.0, 49000.0)
    s.track(OwnOrder("rb-2", "SELL", D("0.01"), True, sent_at=100.0))
    assert [o.client_id for o in s.in_flight(now=101.0)] == ["rb-2"]
    assert s.in_flight(now=106.0) == [] and s.orders["rb-2"].status == "EXPIRED"


def test_client_ids_persist_across_restarts(tmp_path):
    a = ClientIds("bot-1", str(tmp_path))
    assert [a.next(), a.next()] == ["rb-bot-1-1", "rb-bot-1-2"]
    assert ClientIds("bot-1", str(tmp_path)).next() == "rb-bot-1-3"
    assert ClientIds("bot-1", None).next() == "rb-bot-1-1"
