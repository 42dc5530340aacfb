"""Cycle math: targets, reduceOnly classification, step rounding, min notional."""

from decimal import Decimal as D

import pytest

from refbot.prices import PriceEstimate
from refbot.strategy import (
    PHASES,
    OrderPlan,
    SkipPlan,
    SymbolFilters,
    floor_to_step,
    is_reduce_only,
    parse_filters,
    plan,
    target_position,
    target_qty,
)

F = SymbolFilters(tick_size=D("0.10"), step_size=D("0.001"), min_qty=D("0.001"), min_notional=D("100"))


def mid(p):
    return PriceEstimate(p, "mid", 10, stale=False)


def test_phases_cycle_order():
    assert PHASES == ("LONG", "FLAT", "SHORT", "FLAT")


@pytest.mark.parametrize(
    "x,step,want",
    [("0.0199999", "0.001", "0.019"), ("0.02", "0.001", "0.020"), ("7.9", "1", "7"), ("1.2345", "0.01", "1.23"), ("0.0009", "0.001", "0.000")],
)
def test_floor_to_step(x, step, want):
    assert floor_to_step(D(x), D(step)) == D(want)
    assert str(floor_to_step(D(x), D(step))) == want


def test_target_qty_floors_and_respects_min_qty_and_notional():
    assert target_qty(1000, 50000.0, F) == D("0.020")
    assert target_qty(1000, 60000.0, F) == D("0.016")  # 0.01666 floored
    assert target_qty(1000, 3_000_000.0, F) == D("0.001")  # raised to minQty (notional 3000 ok)
    assert target_qty(99, 1000.0, F) is None  # 0.099 * 1000 = 99 < min notional 100
    assert target_qty(100, 1000.0, F) == D("0.100")


def test_target_position_per_phase():
    q = D("0.02")
    assert [target_position(p, q) for p in PHASES] == [q, 0, -q, 0]


@pytest.mark.parametrize(
    "pos,delta,want",
    [
        ("0.02", "-0.02", True),  # LONG -> FLAT
        ("-0.02", "0.02", True),  # SHORT -> FLAT
        ("0.02", "-0.01", True),  # partial reduce
        ("0.02", "-0.04", False),  # flip: opens the other side
        ("0", "0.02", False),  # open
        ("0.01", "0.01", False),  # add
    ],
)
def test_reduce_only_classification(pos, delta, want):
    assert is_reduce_only(D(pos), D(delta)) is want


def test_plan_full_cycle_from_flat():
    pos = D(0)
    sides = []
    for phase in PHASES * 2:
        p = plan(phase, pos, mid(50000.0), F, 1000)
        assert isinstance(p, OrderPlan)
        sides.append((phase, p.side, str(p.qty), p.reduce_only))
        pos += p.qty if p.side == "BUY" else -p.qty
    assert sides[:4] == [
        ("LONG", "BUY", "0.020", False),
        ("FLAT", "SELL", "0.020", True),
        ("SHORT", "SELL", "0.020", False),
        ("FLAT", "BUY", "0.020", True),
    ]
    assert pos == 0


def test_plan_nothing_to_do():
    assert plan("FLAT", D(0), mid(50000.0), F, 1000) is None
    assert plan("LONG", D("0.020"), mid(50000.0), F, 1000) is None


def test_plan_tops_up_to_target():
    p = plan("LONG", D("0.005"), mid(50000.0), F, 1000)
    assert (p.side, p.qty, p.reduce_only) == ("BUY", D("0.015"), False)


def test_plan_skips_below_min_notional():
    p = plan("LONG", D(0), mid(1000.0), F, 99)
    assert isinstance(p, SkipPlan) and p.reason == "below-min-notional"
    # ...but still flattens in a FLAT phase
    p = plan("FLAT", D("0.05"), mid(1000.0), F, 99)
    assert isinstance(p, OrderPlan) and p.reduce_only and p.qty == D("0.05")


def test_plan_carries_price_source():
    p = plan("LONG", D(0), PriceEstimate(50000.0, "entry-fallback", None, False), F, 1000)
    assert (p.price, p.source) == (50000.0, "entry-fallback")


def test_plan_without_price_never_opens_risk_but_exits():
    stale = PriceEstimate(None, None, 1500, stale=True)
    for phase in ("LONG", "SHORT"):
        p = plan(phase, D(0), stale, F, 1000)
        assert p == SkipPlan("stale-prices", 1500)
    assert plan("LONG", D("0.02"), stale, F, 1000) == SkipPlan("stale-prices", 1500)
    exit_long = plan("FLAT", D("0.02"), stale, F, 1000)
    assert exit_long == OrderPlan("SELL", D("0.02"), True, None, "none")
    exit_short = plan("LONG", D("-0.02"), stale, F, 1000)  # wrong side: close it, never flip
    assert exit_short == OrderPlan("BUY", D("0.02"), True, None, "none")
    assert plan("FLAT", D(0), stale, F, 1000) is None
    assert plan("LONG", D(0), PriceEstimate(None, None, None, False), F, 1000) == SkipPlan("no-price", None)


def test_parse_filters():
    info = {"symbols": [{"symbol": "ETHUSDT", "filters": []}, {"symbol": "BTCUSDT", "filters": [
        {"filterType": "PRICE_FILTER", "tickSize": "0.10"},
        {"filterType": "LOT_SIZE", "stepSize": "0.001", "minQty": "0.002"},
        {"filterType": "MIN_NOTIONAL", "notional": "5"},
    ]}]}
    assert parse_filters(info, "BTCUSDT") == SymbolFilters(D("0.10"), D("0.001"), D("0.002"), D("5"))
    with pytest.raises(ValueError):
        parse_filters(info, "XRPUSDT")
    with pytest.raises(ValueError):
        parse_filters(info, "ETHUSDT")
