"""Outbound discipline (refbot/outbound.py): Retry-After, circuit breaker with exponential backoff,
no retry of permanent errors. Findings: 002_3e6ca2bf6dfde12d.txt#no-exponential-backoff-visible-in-code-scan,
002_3e6ca2bf6dfde12d.txt#no-circuit-breaker-pattern-for-external-apis, 004_8a8a9a4995486b8f.txt#H-SERV-01,
004_8a8a9a4995486b8f.txt#H-SERV-03.

Unit level against a fake clock and the scripted FakeRest of test_order_retry; the middleware
against a real aiohttp server on loopback.
"""

from __future__ import annotations

import asyncio
import io
import json
import random

import aiohttp
import pytest
from aiohttp import web
from test_order_retry import ENV, F, PLAN, FakeRest

from refbot import flaws, outbound, probes, strategy
from refbot.config import load_config
from refbot.outbound import OutboundGuard, RequestBlocked
from refbot.prices import PriceBook
from refbot.rest import BinanceError
from refbot.state import AccountState, ClientIds
from refbot.strategy import Trader


class Clock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


@pytest.fixture(autouse=True)
def quiet():
    probes.set_output(io.StringIO())


def guard(**kw) -> tuple[OutboundGuard, Clock]:
    c = Clock()
    return OutboundGuard(clock=c, rng=random.Random(1), **kw), c


# -- Retry-After ----------------------------------------------------------------------------
def test_hardened_honours_retry_after_on_every_path():
    g, c = guard()
    g.on_answer("POST", "/fapi/v1/order", 429, {"Retry-After": "3"})
    for method, path in [("POST", "/fapi/v1/order"), ("GET", "/fapi/v1/time"), ("GET", "/fapi/v1/ticker/bookTicker")]:
        b = g.blocked(method, path)
        assert b is not None and b.reason == "retry-after" and b.wait_s == pytest.approx(3.0)
    c.t += 2.9
    with pytest.raises(RequestBlocked):
        g.before("GET", "/fapi/v1/time")
    c.t += 0.2
    g.before("GET", "/fapi/v1/time")  # elapsed: allowed


def test_a_418_ban_blocks_for_its_retry_after_and_a_missing_header_for_a_second():
    g, c = guard()
    g.on_answer("GET", "/fapi/v1/time", 418, {"Retry-After": "7"})
    assert g.blocked("GET", "/fapi/v1/time").wait_s == pytest.approx(7.0)
    g2, _ = guard()
    g2.on_answer("GET", "/fapi/v1/time", 429, {})
    assert g2.blocked("GET", "/fapi/v1/time").wait_s == pytest.approx(outbound.DEFAULT_RETRY_AFTER_S)


def test_flaw_ignore_retry_after_never_pauses():
    g, _ = guard(honour_retry_after=False)
    g.on_answer("POST", "/fapi/v1/order", 429, {"Retry-After": "3"})
    assert g.blocked("POST", "/fapi/v1/order") is None


# -- circuit breaker ------------------------------------------------------------------------
def test_breaker_opens_after_three_failures_with_growing_capped_jittered_periods():
    g, c = guard()
    for _ in range(2):
        g.on_answer("POST", "/fapi/v1/order", 503)
        assert g.blocked("POST", "/fapi/v1/order") is None  # backoff is the caller's below the threshold
    periods = []
    g.on_answer("POST", "/fapi/v1/order", 503)
    for _ in range(5):
        b = g.blocked("POST", "/fapi/v1/order")
        assert b is not None and b.reason == "breaker-open"
        periods.append(b.wait_s)
        assert g.blocked("GET", "/fapi/v1/order") is None  # per endpoint
        c.t += b.wait_s  # open period over: half-open, one probe
        g.before("POST", "/fapi/v1/order")
        assert g.blocked("POST", "/fapi/v1/order").reason == "breaker-half-open"
        g.on_answer("POST", "/fapi/v1/order", 503)  # the probe fails: open again, longer
    lo = [2, 4, 8, 10, 10]
    for p, base in zip(periods, lo):
        assert base - 1e-6 <= p <= min(10.0, base * 1.25) + 1e-6
    assert periods == sorted(periods)
    c.t += 20
    g.before("POST", "/fapi/v1/order")
    g.on_answer("POST", "/fapi/v1/order", 200)  # the probe succeeds: closed
    assert g.blocked("POST", "/fapi/v1/order") is None and g.endpoints == {}


def test_a_definite_answer_resets_the_failure_count():
    g, _ = guard()
    g.on_answer("POST", "/fapi/v1/order", 503)
    g.on_answer("POST", "/fapi/v1/order", 503)
    g.on_answer("POST", "/fapi/v1/order", 400)  # the endpoint answered: it is up
    g.on_answer("POST", "/fapi/v1/order", 503)
    g.on_answer("POST", "/fapi/v1/order", 503)
    assert g.blocked("POST", "/fapi/v1/order") is None


def test_flaw_retry_without_backoff_has_no_breaker():
    g, _ = guard(breaker=False)
    for _ in range(10):
        g.on_answer("POST", "/fapi/v1/order", 503)
    assert g.blocked("POST", "/fapi/v1/order") is None


def test_flags_pick_the_guard():
    hard = OutboundGuard.for_flags(load_config({**ENV, "REFBOT_PROFILE": "hardened"}).flags)
    naive = OutboundGuard.for_flags(load_config({**ENV, "REFBOT_PROFILE": "naive"}).flags)
    assert (hard.honour_retry_after, hard.breaker, hard.unguarded) == (True, True, ())
    assert (naive.honour_retry_after, naive.breaker, naive.unguarded) == (False, False, outbound.MARKET_DATA_PATHS)


# -- classification -------------------------------------------------------------------------
def test_error_classes():
    e = lambda status, code: BinanceError(status, code, "m", "/fapi/v1/order")  # noqa: E731
    assert outbound.is_permanent(e(400, -2019)) and outbound.is_permanent(e(400, -1111)) and outbound.is_permanent(e(400, -4164))
    for transient in (e(429, -1003), e(418, -1003), e(400, -1021), e(408, -1007), e(503, -1001)):
        assert not outbound.is_permanent(transient)
    assert outbound.definite_transient(e(503, -1001)) and outbound.definite_transient(e(500, -1001))
    assert not outbound.definite_transient(e(503, -1000))  # "Unknown error": outcome unknown, not a failure
    assert not outbound.definite_transient(aiohttp.ServerDisconnectedError())


# -- the order loop -------------------------------------------------------------------------
class Script503(FakeRest):
    """FakeRest whose "fail" step is Binance's -1001 503: a failed operation, not executed."""

    async def new_market_order(self, symbol, side, qty, reduce_only, client_order_id):
        if self.script and self.script[0] == "fail":
            self.script.pop(0)
            self.posts.append(client_order_id)
            raise BinanceError(503, -1001, "Service Unavailable.", "/fapi/v1/order")
        return await super().new_market_order(symbol, side, qty, reduce_only, client_order_id)


def run_send(rest, profile: str, flaw: str = "") -> list[dict]:
    out = io.StringIO()
    probes.set_output(out)
    cfg = load_config({**ENV, "REFBOT_PROFILE": profile, "REFBOT_FLAWS": flaw})
    trader = Trader(cfg, rest, PriceBook(clear_on_disconnect=False), AccountState("BTCUSDT"), F, ClientIds("bot-1", None))  # type: ignore[arg-type]
    trader.recv_window_ms = 0
    asyncio.run(trader.send(PLAN))
    return [json.loads(line) for line in out.getvalue().splitlines()]


@pytest.fixture
def fast(monkeypatch):
    monkeypatch.setattr(outbound, "FLAWED_RETRY_DELAY_S", 0.0)
    monkeypatch.setattr(strategy, "LOOKUP_DELAY_S", 0.0)
    monkeypatch.setattr(strategy, "SETTLE_MARGIN_MS", 0)


def test_hardened_never_resends_a_permanent_rejection(fast):
    rest = FakeRest(["reject", "ok"])
    run_send(rest, "hardened")
    assert rest.posts == ["rb-bot-1-1"] and rest.executed == []


def test_flaw_retry_permanent_errors_resends_the_same_order(fast):
    rest = FakeRest(["reject", "reject", "reject", "ok"])
    lines = run_send(rest, "hardened", flaws.RETRY_PERMANENT_ERRORS)
    assert rest.posts == ["rb-bot-1-1"] * 3  # the same request, three times
    assert [p["attempt"] for p in lines if p["probe"] == "intent"] == [1, 2, 3]


def test_flaw_retry_without_backoff_hammers_a_failing_endpoint(fast):
    rest = Script503(["fail"] * 30)
    run_send(rest, "hardened", flaws.RETRY_WITHOUT_BACKOFF)
    assert len(rest.posts) >= outbound.FLAWED_TRANSIENT_ATTEMPTS


def test_hardened_looks_up_a_failed_order_instead_of_hammering(fast):
    rest = Script503(["fail"] * 30)
    run_send(rest, "hardened")
    assert rest.posts == ["rb-bot-1-1"] * strategy.MAX_ATTEMPTS  # bounded, each after a lookup
    assert len(rest.lookups) == strategy.MAX_ATTEMPTS


def test_tick_skips_while_blocked():
    out = io.StringIO()
    probes.set_output(out)
    g, _ = guard()
    assert not outbound.tick_blocked(g, "POST", "/fapi/v1/order")
    g.on_answer("POST", "/fapi/v1/order", 429, {"Retry-After": "2"})
    assert outbound.tick_blocked(g, "POST", "/fapi/v1/order")
    assert json.loads(out.getvalue().splitlines()[-1]) == {"probe": "skip", "reason": "retry-after", "ageMs": None}
    assert not outbound.tick_blocked(None, "POST", "/fapi/v1/order")


# -- the session middleware, for real ---------------------------------------------------------
async def _serve(answers: list[tuple[int, dict]]) -> tuple[web.AppRunner, str, list[str]]:
    seen: list[str] = []

    async def handler(req: web.Request) -> web.Response:
        seen.append(f"{req.method} {req.path}")
        status, headers = answers.pop(0) if answers else (200, {})
        return web.json_response({} if status < 400 else {"code": -1003, "msg": "x"}, status=status, headers=headers)

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handler)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    return runner, f"http://127.0.0.1:{port}", seen


def test_middleware_keeps_every_rest_path_quiet_after_a_429():
    async def main() -> tuple[list[str], list[str]]:
        runner, url, seen = await _serve([(429, {"Retry-After": "5"})])
        g = OutboundGuard()
        errors = []
        async with aiohttp.ClientSession(middlewares=(g.middleware,)) as s:
            async with s.post(f"{url}/fapi/v1/order") as r:
                assert r.status == 429
            for path in ("/fapi/v1/order", "/fapi/v1/ticker/bookTicker", "/fapi/v1/time"):
                try:
                    async with s.get(f"{url}{path}"):
                        pass
                except RequestBlocked as e:
                    errors.append(e.reason)
            async with s.get(f"{url}/ws/btcusdt@bookTicker") as r:  # not REST: not guarded
                assert r.status == 200
        await runner.cleanup()
        return seen, errors

    seen, errors = asyncio.run(main())
    assert seen == ["POST /fapi/v1/order", "GET /ws/btcusdt@bookTicker"]
    assert errors == ["retry-after"] * 3


def test_middleware_breaker_stops_calls_to_a_failing_endpoint():
    async def main() -> list[str]:
        runner, url, seen = await _serve([(503, {})] * 10)
        g = OutboundGuard()
        async with aiohttp.ClientSession(middlewares=(g.middleware,)) as s:
            for _ in range(6):
                try:
                    async with s.get(f"{url}/fapi/v2/positionRisk"):
                        pass
                except RequestBlocked:
                    pass
        await runner.cleanup()
        return seen

    assert asyncio.run(main()) == ["GET /fapi/v2/positionRisk"] * outbound.BREAKER_THRESHOLD


def test_flaw_limiter_skips_market_data_polls_through_the_pause():
    async def main(g: OutboundGuard) -> list[str]:
        runner, url, seen = await _serve([(429, {"Retry-After": "5"})])
        async with aiohttp.ClientSession(middlewares=(g.middleware,)) as s:
            async with s.post(f"{url}/fapi/v1/order") as r:
                assert r.status == 429
            for path in ("/fapi/v1/ticker/bookTicker", "/fapi/v1/depth", "/fapi/v1/order"):
                try:
                    async with s.get(f"{url}{path}?symbol=BTCUSDT"):
                        pass
                except RequestBlocked:
                    pass
        await runner.cleanup()
        return seen

    flawed = OutboundGuard(unguarded=outbound.MARKET_DATA_PATHS)
    assert asyncio.run(main(flawed)) == ["POST /fapi/v1/order", "GET /fapi/v1/ticker/bookTicker", "GET /fapi/v1/depth"]
    assert asyncio.run(main(OutboundGuard())) == ["POST /fapi/v1/order"]
