"""Exits are reduce-only (refbot/exits.py): a position on the wrong side is closed first."""

from decimal import Decimal as D

from refbot import flaws
from refbot.exits import crosses_zero, exit_first
from refbot.strategy import OrderPlan


def test_crosses_zero():
    assert crosses_zero(D("0.016"), "SELL", D("0.032"))
    assert not crosses_zero(D("0.016"), "SELL", D("0.016"))  # to flat
    assert not crosses_zero(D("0"), "SELL", D("0.016"))  # an entry
    assert not crosses_zero(D("-0.016"), "SELL", D("0.016"))  # deepens


def test_fixed_a_flip_becomes_a_reduce_only_exit_of_the_position():
    flip = OrderPlan("SELL", D("0.032"), False, 60000.0, "mid")  # SHORT while still LONG 0.016
    p = exit_first(D("0.016"), flip, frozenset())
    assert (p.side, p.qty, p.reduce_only, p.price, p.source) == ("SELL", D("0.016"), True, 60000.0, "mid")


def test_flaw_flip_without_reduce_only_exit_sends_the_flip():
    flip = OrderPlan("BUY", D("0.024"), False, 60000.0, "mid")
    assert exit_first(D("-0.008"), flip, frozenset({flaws.FLIP_WITHOUT_REDUCE_ONLY_EXIT})) is flip


def test_dormant_for_entries_and_exits_that_do_not_cross_zero():
    for pos, plan in [
        (D("0"), OrderPlan("BUY", D("0.016"), False, 60000.0, "mid")),
        (D("0.016"), OrderPlan("SELL", D("0.016"), True, 60000.0, "mid")),
        (D("0.008"), OrderPlan("BUY", D("0.008"), False, 60000.0, "mid")),
    ]:
        assert exit_first(pos, plan, frozenset()) is plan
