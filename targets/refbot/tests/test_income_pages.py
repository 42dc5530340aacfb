"""refbot/riskguard.py: the daily-loss seed follows /fapi/v1/income's pages to the end (flaw income-single-page)."""

from __future__ import annotations

import asyncio

import pytest

from refbot import flaws
from refbot.riskguard import INCOME_PATH, MAX_INCOME_PAGES, RiskGuard


class PagedRest:
    """Today's realized PnL: `rows` entries of -0.2 USDT, served 1000 per page like Binance."""

    def __init__(self, rows: int) -> None:
        self.rows = [{"income": "-0.2"} for _ in range(rows)]
        self.pages: list[int] = []

    async def request(self, method, path, params=(), *, signed=False, keyed=False, timeout_s=None):
        assert path == INCOME_PATH
        p = dict(params)
        page, limit = int(p["page"]), int(p["limit"])
        self.pages.append(page)
        return self.rows[(page - 1) * limit : page * limit]


def seeded(rest: PagedRest, *flaw_names: str) -> RiskGuard:
    g = RiskGuard(rest, frozenset(flaw_names), 50.0, 250.0)
    asyncio.run(g._seed())
    return g


def test_reads_every_page_to_a_short_one():
    rest = PagedRest(2500)
    g = seeded(rest)
    assert rest.pages == [1, 2, 3]
    assert g.daily_pnl == pytest.approx(-500.0)
    exact = PagedRest(2000)
    seeded(exact)
    assert exact.pages == [1, 2, 3]  # a full page 2 means there may be more: page 3 (empty) says there is not


def test_too_many_pages_is_a_failed_read():
    rest = PagedRest(1000 * MAX_INCOME_PAGES)
    with pytest.raises(ValueError, match="more than 50 pages"):
        seeded(rest)


def test_flaw_takes_page_one_for_the_day():
    # FLAW 003_a7371304fd1017c8.txt#get-open-orders-reads-a-single-page-and: 1000 of 2500 rows, -200 instead of -500.
    rest = PagedRest(2500)
    g = seeded(rest, flaws.INCOME_SINGLE_PAGE)
    assert rest.pages == [1]
    assert g.daily_pnl == pytest.approx(-200.0)
