"""Books changes from outside the bot's own fills are logged with their amount (004_8a8a9a4995486b8f.txt#H-PORT-04).

Hardened: a position adopted from the venue's snapshot (ACCOUNT_UPDATE, positionRisk) that differs
from the books, and a fill of an order the bot did not place, are logged with old, new and change.
Flaw drift-corrected-silently: the same changes are applied without a word.
"""

from __future__ import annotations

import logging
from decimal import Decimal as D

import pytest

from refbot.state import AccountState, OwnOrder


def account_update(pa: str, T: int) -> dict:
    return {"e": "ACCOUNT_UPDATE", "T": T, "a": {"P": [{"s": "BTCUSDT", "pa": pa, "ep": "60000"}]}}


def trade(cid: str, side: str, qty: str, T: int) -> dict:
    return {"e": "ORDER_TRADE_UPDATE", "T": T, "o": {"s": "BTCUSDT", "c": cid, "S": side, "x": "TRADE", "X": "FILLED", "l": qty, "z": qty, "L": "60000", "T": T}}


def books(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.getMessage().startswith("books:")]


@pytest.mark.parametrize("audit", [True, False])
def test_snapshot_correction_is_logged_with_its_amount(caplog, audit):
    caplog.set_level(logging.INFO, logger="refbot.state")
    s = AccountState("BTCUSDT")
    s.audit = audit
    s.position = D("0.016")
    s.on_account_update(account_update("0.012", 1000))
    assert s.position == D("0.012")
    lines = books(caplog)
    if audit:
        assert lines == ["books: BTCUSDT position 0.016 -> 0.012 from the venue's ACCOUNT_UPDATE (change -0.004)"]
    else:
        assert lines == []
    s.apply_position_risk([{"symbol": "BTCUSDT", "positionAmt": "0.012", "entryPrice": "60000"}], 2000)
    assert len(books(caplog)) == len(lines)  # no change, no line


@pytest.mark.parametrize("audit", [True, False])
def test_foreign_fill_is_logged_and_own_fill_is_not(caplog, audit):
    caplog.set_level(logging.INFO, logger="refbot.state")
    s = AccountState("BTCUSDT")
    s.audit = audit
    s.track(OwnOrder("rb-bot-1-1", "BUY", D("0.016"), False, 0.0))
    s.on_order_update(trade("rb-bot-1-1", "BUY", "0.016", 1000))
    assert s.position == D("0.016") and books(caplog) == []
    s.on_order_update(trade("web_manual_7", "SELL", "0.004", 2000))
    assert s.position == D("0.012")
    if audit:
        assert books(caplog) == ["books: fill of order web_manual_7 this bot did not place: BTCUSDT position 0.016 -> 0.012 (change -0.004)"]
    else:
        assert books(caplog) == []
