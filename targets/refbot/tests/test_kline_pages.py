"""The kline warmup reads its history in pages by startTime (refbot/warmup.py). Hardened (fix for
003_a7371304fd1017c8.txt#fetch-from-api-swallows-api-exceptions-as-break): a failed page is a known
gap, the readiness gate holds new risk and the warmup is retried until every page has come back.
Flaw kline-page-error-swallowed: the failed page ends the loop as if the history were complete."""

from __future__ import annotations

import asyncio
import json
from urllib.parse import parse_qs, urlparse

import aiohttp
import pytest

from refbot import warmup
from refbot.warmup import KlineWarmup

from httpstub import JsonHandler, serving

MIN = 60_000
NOW = 1_000 * MIN + 42_000  # 42 s into minute 1000


class Pages(JsonHandler):
    fail_page_2 = 0  # how many more times the second page answers 503
    asked: list[tuple[int, int]] = []

    def do_GET(self) -> None:  # noqa: N802
        q = parse_qs(urlparse(self.path).query)
        start, limit = int(q["startTime"][0]), int(q["limit"][0])
        Pages.asked.append((start, limit))
        if start == (1_000 - 59) * MIN and Pages.fail_page_2 > 0:
            Pages.fail_page_2 -= 1
            self.reply(503, b'{"code":-1001,"msg":"Service Unavailable."}')
            return
        rows = [[start + i * MIN, "60000", "60020", "59980", str(60_000 + (i % 4) * 10), "3.5"] for i in range(limit)]
        self.reply(200, json.dumps(rows).encode())


@pytest.fixture
def pages(monkeypatch):
    monkeypatch.setattr(warmup, "PAGE_PAUSE_S", 0.0)
    monkeypatch.setattr(warmup, "RETRY_S", 0.05)
    Pages.asked = []
    Pages.fail_page_2 = 0
    with serving(Pages) as url:
        yield url


def run(url: str, swallow: bool, settle_s: float) -> tuple[KlineWarmup, list[bool]]:
    """One warmup from the market stream coming up; the gate as seen right after the first run, then after settle_s."""

    async def main():
        async with aiohttp.ClientSession() as session:
            w = KlineWarmup(session, url, "BTCUSDT", blocking=False, swallow_page_errors=swallow, now_ms=lambda: NOW)
            await w.run_once()
            seen = [w.ready()]
            await asyncio.sleep(settle_s)
            seen.append(w.ready())
            w.close()
            return w, seen

    return asyncio.run(main())


def test_reads_ninety_minutes_in_three_pages_oldest_first(pages):
    w, seen = run(pages, swallow=False, settle_s=0)
    assert Pages.asked == [((1_000 - 89) * MIN, 30), ((1_000 - 59) * MIN, 30), ((1_000 - 29) * MIN, 30)]
    assert seen == [True, True] and w.vol is not None and w.failures == 0


def test_hardened_holds_risk_on_a_failed_page_and_retries_until_it_comes_back(pages):
    Pages.fail_page_2 = 2
    w, seen = run(pages, swallow=False, settle_s=0.5)
    assert seen == [False, True]  # no new risk while the gap is known; ready once a retry got every page
    assert w.failures == 2 and w.gap is False and w.runs == 3
    assert Pages.asked.count(((1_000 - 59) * MIN, 30)) == 3


def test_flaw_swallows_the_failed_page_and_opens_the_gate_on_the_partial_history(pages):
    Pages.fail_page_2 = 1
    w, seen = run(pages, swallow=True, settle_s=0.3)
    assert seen == [True, True]  # FLAW: the partial history is treated as complete
    assert w.failures == 1 and w.runs == 1
    assert Pages.asked == [((1_000 - 89) * MIN, 30), ((1_000 - 59) * MIN, 30)]  # never fetched again
