"""Flaw filters-cache-cleared-on-refresh (000_2ae31cbfe79758d1.txt#S-H1) against its fix: a trading tick
that runs while an exchangeInfo refresh is in flight reads default filters (flaw) or the old ones (fix)."""

from __future__ import annotations

import asyncio
from decimal import Decimal as D

from refbot import flaws
from refbot.filtercache import DEFAULT_FILTERS, FilterCache, LiveFilters
from refbot.prices import PriceEstimate
from refbot.strategy import OrderPlan, SymbolFilters, plan

QTR = SymbolFilters(tick_size=D("0.5"), step_size=D("0.25"), min_qty=D("0.25"), min_notional=D("5"))


def info(step: str = "0.25") -> dict:
    return {
        "symbols": [
            {
                "symbol": "QTRUSDT",
                "filters": [
                    {"filterType": "PRICE_FILTER", "tickSize": "0.5"},
                    {"filterType": "LOT_SIZE", "stepSize": step, "minQty": "0.25"},
                    {"filterType": "MIN_NOTIONAL", "notional": "5"},
                ],
            }
        ]
    }


class SlowVenue:
    def __init__(self, answer: dict | Exception) -> None:
        self.answer = answer
        self.release = asyncio.Event()

    async def __call__(self) -> dict:
        await self.release.wait()
        if isinstance(self.answer, Exception):
            raise self.answer
        return self.answer


def qty_during_and_after(clear: bool, answer: dict | Exception) -> tuple[D, D]:
    async def go() -> tuple[D, D]:
        venue = SlowVenue(answer)
        cache = FilterCache("QTRUSDT", QTR, venue, clear_on_refresh=clear)
        live = LiveFilters(cache)
        est = PriceEstimate(157.0, "mid", 0, False)
        cache.trigger()
        await asyncio.sleep(0)  # the refresh is in flight
        during = plan("LONG", D(0), est, live, 1000.0)  # type: ignore[arg-type]
        venue.release.set()
        await asyncio.sleep(0.01)
        after = plan("LONG", D(0), est, live, 1000.0)  # type: ignore[arg-type]
        await cache.close()
        assert isinstance(during, OrderPlan) and isinstance(after, OrderPlan)
        return during.qty, after.qty

    return asyncio.run(go())


def test_flaw_is_registered():
    assert flaws.FLAWS["filters-cache-cleared-on-refresh"] == "000_2ae31cbfe79758d1.txt#S-H1"


def test_hardened_tick_during_a_slow_refresh_keeps_the_old_filters():
    assert qty_during_and_after(False, info()) == (D("6.25"), D("6.25"))


def test_flawed_tick_during_a_slow_refresh_sizes_on_the_default_step():
    during, after = qty_during_and_after(True, info())
    assert DEFAULT_FILTERS.step_size == D("0.001")
    assert during == D("6.369") and during % D("0.25") != 0  # off the 0.25 grid: the venue refuses it
    assert after == D("6.25")


def test_a_failed_refresh_keeps_the_old_filters_hardened_and_defaults_flawed():
    assert qty_during_and_after(False, OSError("timeout")) == (D("6.25"), D("6.25"))
    assert qty_during_and_after(True, OSError("timeout")) == (D("6.369"), D("6.369"))


def test_refresh_takes_new_filters_and_keeps_the_rounding_flags():
    async def go() -> SymbolFilters:
        venue = SlowVenue(info("0.5"))
        venue.release.set()
        cache = FilterCache("QTRUSDT", SymbolFilters(**{**QTR.__dict__, "float_qty": True}), venue, clear_on_refresh=False)
        await cache.refresh()
        return cache.get()

    f = asyncio.run(go())
    assert f.step_size == D("0.5") and f.float_qty is True


def test_dormant_where_the_default_step_is_the_symbols():
    btc = SymbolFilters(tick_size=D("0.1"), step_size=D("0.001"), min_qty=D("0.001"), min_notional=D("100"))
    est = PriceEstimate(60000.0, "mid", 0, False)
    a, b = plan("LONG", D(0), est, btc, 1000.0), plan("LONG", D(0), est, DEFAULT_FILTERS, 1000.0)
    assert isinstance(a, OrderPlan) and isinstance(b, OrderPlan) and a.qty == b.qty
