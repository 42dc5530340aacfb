"""Fill handling never takes the bot down, the kline warmup never blocks the loop, a failed poll does
not switch to slow mode for good.

Flaw fill-handler-reraises (001_0474a2fd1532b929.txt#M4): a duplicated/reordered fill re-raises and
ends the fill task; hardened skips it. Flaw partial-fill-log-divides-by-zero (001#C8): the first
partial slice divides by zero; hardened does not. Flaw blocking-kline-warmup (001#M3): a slow
klines endpoint blocks the loop; hardened is async and bounded. Flaw slow-mode-after-fetch-failure
(004_8a8a9a4995486b8f.txt#H-SERV-02): one failure slows the REST mid poll for good.
"""

from __future__ import annotations

import asyncio
import io
import json
import math
import sys
import time

import aiohttp
import pytest
from httpstub import JsonHandler, serving

from refbot import flaws, probes, warmup
from refbot.config import KNOWN_FLAWS, load_config
from refbot.fills import FillProcessor, FillSequenceError
from refbot.restmid import RestMidCheck
from refbot.warmup import KlineWarmup, realized_vol

ENV = {"VENUE_REST_URL": "http://127.0.0.1:1", "VENUE_WS_URL": "ws://127.0.0.1:1", "VENUE_API_KEY": "k", "VENUE_API_SECRET": "s"}
MINE = (flaws.FILL_HANDLER_RERAISES, flaws.PARTIAL_FILL_LOG_DIVIDES_BY_ZERO, flaws.BLOCKING_KLINE_WARMUP, flaws.SLOW_MODE_AFTER_FETCH_FAILURE)


def trade(cid: str, tid: int, last: str, cum: str, status: str, price: str = "60000") -> dict:
    return {"e": "ORDER_TRADE_UPDATE", "o": {"s": "BTCUSDT", "c": cid, "x": "TRADE", "X": status, "t": tid, "l": last, "z": cum, "L": price}}


@pytest.fixture(autouse=True)
def quiet_probes():
    probes.set_output(io.StringIO())
    yield
    probes.set_output(sys.stdout)


def test_flaws_are_known_and_only_in_the_naive_profile() -> None:
    for name in MINE:
        assert name in KNOWN_FLAWS
        assert load_config({**ENV, "REFBOT_PROFILE": "naive"}).flags.has(name)
        assert not load_config({**ENV, "REFBOT_PROFILE": "hardened"}).flags.has(name)


# -- fills (M4, C8) ------------------------------------------------------------------------
def test_whole_fills_are_booked_by_both_variants() -> None:
    for reraise, unguarded in ((True, True), (False, False)):
        f = FillProcessor(reraise, unguarded)
        f.process(trade("a", 1, "0.016", "0.016", "FILLED")["o"])  # one piece: the diagnostic is dormant
        f.process(trade("b", 2, "0.016", "0.016", "FILLED")["o"])
        assert f.skipped == 0 and f.orders == {}


def test_flawed_handler_reraises_a_duplicated_fill() -> None:
    f = FillProcessor(reraise=True, unguarded_diagnostic=False)
    ev = trade("a", 7, "0.004", "0.004", "PARTIALLY_FILLED")["o"]
    f.process(ev)
    with pytest.raises(FillSequenceError, match="already booked"):
        f.process(dict(ev))


def test_flawed_handler_reraises_a_reordered_fill() -> None:
    f = FillProcessor(reraise=True, unguarded_diagnostic=False)
    f.process(trade("a", 1, "0.004", "0.004", "PARTIALLY_FILLED")["o"])
    f.process(trade("a", 3, "0.004", "0.012", "PARTIALLY_FILLED")["o"])
    with pytest.raises(FillSequenceError, match="out of order"):
        f.process(trade("a", 2, "0.004", "0.008", "PARTIALLY_FILLED")["o"])


def test_hardened_handler_skips_odd_events_and_goes_on() -> None:
    out = io.StringIO()
    probes.set_output(out)
    f = FillProcessor(reraise=False, unguarded_diagnostic=False)
    ev = trade("a", 7, "0.004", "0.004", "PARTIALLY_FILLED")["o"]
    f.process(ev)
    f.process(dict(ev))  # duplicate
    f.process(trade("a", 8, "0.004", "0.008", "PARTIALLY_FILLED", "60010")["o"])
    f.process(trade("a", 6, "0.004", "0.004", "PARTIALLY_FILLED")["o"])  # reordered: z went back
    assert f.skipped == 2
    assert f.orders["a"].slices == 2 and math.isclose(f.orders["a"].avg_price, 60005.0)
    f.process(trade("a", 9, "0.008", "0.016", "FILLED")["o"])
    assert f.orders == {}
    skipped = [json.loads(x) for x in out.getvalue().splitlines() if '"fill-skipped"' in x]
    assert [s["clientOrderId"] for s in skipped] == ["a", "a"]


def test_flawed_diagnostic_divides_by_zero_on_the_first_slice() -> None:
    f = FillProcessor(reraise=False, unguarded_diagnostic=True)
    with pytest.raises(ZeroDivisionError):
        f.process(trade("a", 1, "0.004", "0.004", "PARTIALLY_FILLED")["o"])


def test_hardened_diagnostic_handles_the_first_slice() -> None:
    f = FillProcessor(reraise=False, unguarded_diagnostic=False)
    f.process(trade("a", 1, "0.004", "0.004", "PARTIALLY_FILLED")["o"])
    f.process(trade("a", 2, "0.004", "0.008", "PARTIALLY_FILLED")["o"])
    assert f.skipped == 0 and f.orders["a"].slices == 2


def run_task(f: FillProcessor, events: list[dict]) -> asyncio.Task:
    async def main() -> asyncio.Task:
        t = asyncio.create_task(f.run())
        for e in events:
            f.on_user(e)
        await asyncio.sleep(0.05)
        if not t.done():
            t.cancel()
            try:
                await t
            except asyncio.CancelledError:
                pass
        return t

    return asyncio.run(main())


def test_the_fill_task_dies_with_the_flaw_and_lives_without() -> None:
    dup = trade("a", 5, "0.016", "0.016", "FILLED")
    other = {"e": "ACCOUNT_UPDATE", "a": {}}
    flawed = run_task(FillProcessor(True, False), [other, dup, dup])
    assert flawed.done() and not flawed.cancelled() and isinstance(flawed.exception(), FillSequenceError)
    hardened = run_task(FillProcessor(False, False), [other, dup, dup])
    assert hardened.cancelled()  # still running when the test stopped it


# -- kline warmup (M3) -----------------------------------------------------------------------
class SlowKlines(JsonHandler):
    delay = 0.6
    hits = 0

    def do_GET(self) -> None:  # noqa: N802
        SlowKlines.hits += 1
        time.sleep(SlowKlines.delay)
        rows = [[i * 60_000, "0", "0", "0", str(60_000 + (i % 3) * 10), "0"] for i in range(30)]
        self.reply(200, json.dumps(rows).encode())


@pytest.fixture
def slow_server():
    SlowKlines.hits = 0
    with serving(SlowKlines) as url:
        yield url


async def beat_gap_during(coro) -> float:
    beats: list[float] = []

    async def beat() -> None:
        while True:
            beats.append(time.monotonic())
            await asyncio.sleep(0.02)

    t = asyncio.create_task(beat())
    await asyncio.sleep(0.05)
    await coro
    await asyncio.sleep(0.05)
    t.cancel()
    return max(b - a for a, b in zip(beats, beats[1:]))


def warm(url: str, blocking: bool) -> tuple[float, KlineWarmup]:
    async def main() -> tuple[float, KlineWarmup]:
        async with aiohttp.ClientSession() as session:
            w = KlineWarmup(session, url, "BTCUSDT", blocking=blocking)
            return await beat_gap_during(w.run_once()), w

    return asyncio.run(main())


def test_flawed_warmup_blocks_the_loop_while_klines_is_slow(slow_server) -> None:
    gap, w = warm(slow_server, blocking=True)
    assert gap >= 0.55 and w.failures == 0 and w.vol is not None and w.vol > 0


def test_hardened_warmup_keeps_the_loop_running_and_gives_up_in_time(slow_server, monkeypatch) -> None:
    monkeypatch.setattr(warmup, "ASYNC_TIMEOUT_S", 0.3)
    gap, w = warm(slow_server, blocking=False)
    assert gap < 0.2 and w.failures == 1 and w.vol is None
    SlowKlines.delay = 0.0
    try:
        gap, w = warm(slow_server, blocking=False)
    finally:
        SlowKlines.delay = 0.6
    assert w.failures == 0 and w.vol is not None


def test_realized_vol() -> None:
    assert realized_vol([[0, 0, 0, 0, "100"], [0, 0, 0, 0, "101"]]) is None  # one return
    v = realized_vol([[0, 0, 0, 0, str(p)] for p in (100, 101, 100, 101)])
    r = math.log(1.01)  # returns +r, -r, +r: mean r/3, sample variance ((2r/3)^2 * 2 + (4r/3)^2) / 2
    assert v is not None and math.isclose(v, math.sqrt(((2 * r / 3) ** 2 * 2 + (4 * r / 3) ** 2) / 2))
    assert realized_vol("oops") is None


# -- REST mid slow mode (H-SERV-02) ----------------------------------------------------------
class FailsOnce(JsonHandler):
    times: list[float] = []

    def do_GET(self) -> None:  # noqa: N802
        FailsOnce.times.append(time.monotonic())
        self.reply(*((503, b'{"code":-1001}') if len(FailsOnce.times) == 2 else (200, b'{"bidPrice":"1","askPrice":"1"}')))


def poll_for(slow_after_failure: bool, seconds: float) -> tuple[int, RestMidCheck]:
    FailsOnce.times = []

    async def main(url: str) -> RestMidCheck:
        async with aiohttp.ClientSession() as session:
            check = RestMidCheck(session, url, "BTCUSDT", lambda: 1.0, False, slow_after_failure=slow_after_failure)
            t = asyncio.create_task(check.run(0.05))
            await asyncio.sleep(seconds)
            t.cancel()
            return check

    with serving(FailsOnce) as url:
        check = asyncio.run(main(url))
    return len(FailsOnce.times), check


def test_flawed_poll_stays_slow_after_one_failure() -> None:
    n, check = poll_for(True, 1.0)
    assert check.failures == 1 and check.slow
    assert n <= 6  # 2 at full rate, then one every 0.25 s


def test_hardened_poll_keeps_its_cadence_after_a_failure() -> None:
    n, check = poll_for(False, 1.0)
    assert check.failures == 1 and not check.slow
    assert n >= 12
