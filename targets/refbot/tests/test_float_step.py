"""Flaw float-step-rounding (000_2ae31cbfe79758d1.txt#S-H2, 001_0474a2fd1532b929.txt#C7) against its fix:
quantities floored in binary floats carry noise for a step like 0.1; Decimal flooring never does."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from refbot import flaws
from refbot.prices import PriceEstimate
from refbot.sizing import float_floor_to_step, floor_to_step
from refbot.strategy import OrderPlan, SymbolFilters, plan, qty_to_step

DEC = SymbolFilters(tick_size=D("0.01"), step_size=D("0.1"), min_qty=D("0.1"), min_notional=D("5"))
BTC = SymbolFilters(tick_size=D("0.1"), step_size=D("0.001"), min_qty=D("0.001"), min_notional=D("100"))


def decimals(q: D) -> int:
    return max(0, -q.as_tuple().exponent)


def test_flaw_is_registered_with_its_findings():
    assert flaws.FLOAT_STEP_ROUNDING == "float-step-rounding"
    assert flaws.FLAWS["float-step-rounding"] == "000_2ae31cbfe79758d1.txt#S-H2"


def test_float_flooring_prints_noise_for_step_0_1_and_decimal_does_not():
    x = D(1000) / D("300.12")
    assert str(float_floor_to_step(x, D("0.1"))) == "3.3000000000000003"
    assert str(floor_to_step(x, D("0.1"))) == "3.3"


@pytest.mark.parametrize("k", range(1, 200))
def test_decimal_flooring_is_always_on_the_grid_with_the_step_precision(k):
    q = floor_to_step(D(k) * D("0.1") + D("0.05"), D("0.1"))
    assert q == D(k) * D("0.1") and decimals(q) == 1


def test_flawed_plan_sends_a_noisy_quantity_on_decusdt():
    est = PriceEstimate(300.12, "mid", 0, False)
    flawed = plan("LONG", D(0), est, SymbolFilters(**{**DEC.__dict__, "float_qty": True}), 1000.0)
    fixed = plan("LONG", D(0), est, DEC, 1000.0)
    assert isinstance(flawed, OrderPlan) and isinstance(fixed, OrderPlan)
    assert decimals(flawed.qty) > 1  # over quantityPrecision 1: the venue answers -1111
    assert str(fixed.qty) == "3.3"


@pytest.mark.parametrize("price", [58_900.0, 60_000.0, 61_500.0, 62_400.0])
def test_flaw_is_dormant_where_the_float_prints_clean(price):
    # BTCUSDT around 60000 (the naive scenarios): 0.016 / 0.017 print clean, as Decimal would.
    flawed = SymbolFilters(**{**BTC.__dict__, "float_qty": True})
    x = D(1000) / D(str(price))
    assert qty_to_step(x, flawed) == qty_to_step(x, BTC)
