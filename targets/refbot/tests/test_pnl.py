"""Realized PnL of the bot's own fills (refbot/pnl.py)."""

from decimal import Decimal as D

from refbot import flaws
from refbot.pnl import PnlTracker
from refbot.state import AccountState


def trade(t: int, side: str, qty: str, price: str, symbol: str = "BTCUSDT") -> dict:
    return {"e": "ORDER_TRADE_UPDATE", "o": {"s": symbol, "x": "TRADE", "X": "FILLED", "S": side, "l": qty, "L": price, "t": t}}


def run(flaw_set: frozenset[str]) -> PnlTracker:
    p = PnlTracker("BTCUSDT", flaw_set)
    s = AccountState("BTCUSDT")
    for ev in [
        trade(1, "BUY", "0.016", "60000"),  # long
        trade(2, "SELL", "0.016", "60010"),  # +0.16
        trade(3, "SELL", "0.008", "60000"),  # short, in two slices
        trade(4, "SELL", "0.008", "60000"),
        trade(4, "SELL", "0.008", "60000"),  # a duplicated execution: booked once
        trade(5, "BUY", "0.016", "60020"),  # the short loses 0.32
        trade(6, "BUY", "0.001", "1", symbol="ETHUSDT"),  # another symbol: ignored
    ]:
        p.on_order_update(ev, s)
    return p


def test_fixed_short_close_realizes_entry_minus_price():
    p = run(frozenset())
    assert p.realized == D("-0.16") and p.position == 0 and p.entry == 0


def test_flaw_short_pnl_sign_error_books_the_losing_short_as_a_profit():
    p = run(frozenset({flaws.SHORT_PNL_SIGN_ERROR}))
    assert p.realized == D("0.48")  # 0.16 + 0.32


def test_flaw_dormant_on_longs():
    for fs in (frozenset(), frozenset({flaws.SHORT_PNL_SIGN_ERROR})):
        p = PnlTracker("BTCUSDT", fs)
        s = AccountState("BTCUSDT")
        p.on_order_update(trade(1, "BUY", "0.016", "60000"), s)
        p.on_order_update(trade(2, "SELL", "0.016", "59990"), s)
        assert p.realized == D("-0.16")


def test_starts_from_the_recovered_position_and_flips():
    p = PnlTracker("BTCUSDT", frozenset())
    s = AccountState("BTCUSDT")
    s.set_position(D("-0.010"), 60000.0, 1)  # recovered short
    p.on_order_update(trade(1, "BUY", "0.016", "59900"), s)  # closes 0.010 (+1.0), opens 0.006 long at 59900
    assert p.realized == D("1.000") and p.position == D("0.006") and p.entry == D("59900")


def test_probe_prints_the_cumulative_figure(capsys):
    import io

    from refbot import probes

    out = io.StringIO()
    probes.set_output(out)
    try:
        run(frozenset()).probe()
    finally:
        import sys

        probes.set_output(sys.stdout)
    assert out.getvalue().strip() == '{"probe":"pnl","symbol":"BTCUSDT","realized":"-0.160"}'
