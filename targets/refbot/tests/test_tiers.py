"""refbot/tiers.py: risk-increasing orders are cut to the leverage bracket's cap read from the venue.

Hardened: the account's leverage (positionRisk) and the symbol's brackets (leverageBracket) give the
cap; an order is cut to 95% of it, and no new risk while they cannot be read. Flaw
risk-tiers-default (003_a7371304fd1017c8.txt#application-builds-riskmanager-without-passing-exchange-manager):
no read at all, no cap.
"""

from __future__ import annotations

import asyncio
from decimal import Decimal

from refbot import flaws
from refbot.rest import BinanceError
from refbot.tiers import BRACKET_PATH, LeverageTiers, cap_for, fitted_qty

BRACKETS = [
    {"bracket": 1, "initialLeverage": 20, "notionalCap": 500, "notionalFloor": 0, "maintMarginRatio": 0.02, "cum": 0},
    {"bracket": 2, "initialLeverage": 10, "notionalCap": 2000, "notionalFloor": 500, "maintMarginRatio": 0.025, "cum": 2.5},
    {"bracket": 3, "initialLeverage": 5, "notionalCap": 10000, "notionalFloor": 2000, "maintMarginRatio": 0.05, "cum": 52.5},
]


class FakeRest:
    def __init__(self, leverage: str = "20") -> None:
        self.leverage = leverage
        self.failing = False
        self.calls: list[str] = []

    async def position_risk(self, symbol: str) -> list:
        self.calls.append("positionRisk")
        return [{"symbol": symbol, "leverage": self.leverage, "positionAmt": "0"}]

    async def request(self, method, path, params=(), *, signed=False, keyed=False, timeout_s=None):
        self.calls.append(path)
        assert path == BRACKET_PATH and ("symbol", "TIERUSDT") in list(params) and signed
        if self.failing:
            raise BinanceError(503, -1001, "Service Unavailable.", path)
        return {"symbol": "TIERUSDT", "notionalCoef": 1.0, "brackets": BRACKETS}


def fit(t: LeverageTiers, side: str, qty: str, position: str, price: float = 2.0):
    return asyncio.run(t.fit(side, Decimal(qty), Decimal(position), price, Decimal("1")))


def test_cap_is_binance_max_notional_value():
    assert cap_for(BRACKETS, 20) == 500
    assert cap_for(BRACKETS, 11) == 500
    assert cap_for(BRACKETS, 10) == 2000
    assert cap_for(BRACKETS, 1) == 10000
    assert cap_for(BRACKETS, 21) == 0


def test_fitted_qty_keeps_the_position_within_the_cap_on_either_side():
    step = Decimal("1")
    assert fitted_qty(Decimal(500), 1, Decimal(0), Decimal(2), Decimal(475), step) == 237
    assert fitted_qty(Decimal(100), 1, Decimal(0), Decimal(2), Decimal(475), step) == 100
    assert fitted_qty(Decimal(500), -1, Decimal(-200), Decimal(2), Decimal(475), step) == 37
    assert fitted_qty(Decimal(500), 1, Decimal(240), Decimal(2), Decimal(475), step) == 0
    # A sell from a long may go through flat and as far short as the cap allows.
    assert fitted_qty(Decimal(600), -1, Decimal(200), Decimal(2), Decimal(475), step) == 437


def test_hardened_cuts_to_95_percent_of_the_cap_and_reads_once():
    rest = FakeRest()
    t = LeverageTiers(rest, "TIERUSDT", frozenset())
    assert fit(t, "BUY", "500", "0") == 237  # 0.95 * 500 / 2
    assert fit(t, "SELL", "500", "0") == 237
    assert rest.calls == ["positionRisk", BRACKET_PATH]
    rest10 = FakeRest(leverage="10")
    assert fit(LeverageTiers(rest10, "TIERUSDT", frozenset()), "BUY", "500", "0") == 500  # 1,000 USDT < 1,900


def test_hardened_unreadable_tiers_refuse_new_risk_until_read(caplog):
    rest = FakeRest()
    rest.failing = True
    t = LeverageTiers(rest, "TIERUSDT", frozenset())
    assert fit(t, "BUY", "500", "0") is None
    assert fit(t, "BUY", "500", "0") is None
    assert sum("unreadable" in r.getMessage() for r in caplog.records) == 1  # logged once
    rest.failing = False
    assert fit(t, "BUY", "500", "0") == 237
    assert any("readable again" in r.getMessage() for r in caplog.records)


def test_flaw_risk_tiers_default_reads_nothing_and_caps_nothing():
    rest = FakeRest()
    rest.failing = True
    t = LeverageTiers(rest, "TIERUSDT", frozenset({flaws.RISK_TIERS_DEFAULT}))
    assert fit(t, "BUY", "500", "0") == 500
    assert rest.calls == []
