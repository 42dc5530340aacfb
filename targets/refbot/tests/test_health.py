"""GET /health tells whether the bot can trade safely now (002_3e6ca2bf6dfde12d.txt#P3-3).

Hardened: 503 with reasons while the market data is stale or missing, the runner is not RUNNING,
a halt is in force or the position is unsynced; 200 otherwise. Flaw health-always-ok: 200 always.
"""

from __future__ import annotations

import aiohttp
from test_control import ENV, TOKEN, FakeKillSwitch, auth, run

from refbot import probes
from refbot.config import load_config
from refbot.control import start_control
from refbot.health import health_check, health_reasons
from refbot.prices import PriceBook
from refbot.state import AccountState


class Clock:
    def __init__(self) -> None:
        self.t = 100.0

    def __call__(self) -> float:
        return self.t


class Lifecycle:
    state = "RUNNING"


def parts(flaw_list: str = "none"):
    cfg = load_config({**ENV, "REFBOT_FLAWS": flaw_list, "REFBOT_MAX_PRICE_AGE_MS": "1000"})
    clock = Clock()
    book = PriceBook(clear_on_disconnect=False, clock=clock)
    return cfg, clock, book, Lifecycle(), FakeKillSwitch(), AccountState(cfg.symbol)


def test_reasons_follow_feed_runner_halt_and_sync():
    cfg, clock, book, lc, ks, state = parts()
    assert health_reasons(cfg, book, lc, ks, state) == ["market-data-missing"]
    book.on_connect()
    book.update(cfg.symbol, 59999.0, 60001.0)
    assert health_reasons(cfg, book, lc, ks, state) == []
    clock.t += 1.5  # no quote for 1.5 s
    assert health_reasons(cfg, book, lc, ks, state) == ["market-data-stale"]
    book.update(cfg.symbol, 59999.0, 60001.0)
    book.on_disconnect()
    clock.t += 0.5
    assert health_reasons(cfg, book, lc, ks, state) == []  # down 0.5 s: the price is still usable
    clock.t += 0.6
    assert health_reasons(cfg, book, lc, ks, state) == ["market-data-stale"]  # down 1.1 s
    book.on_connect()
    book.update(cfg.symbol, 59999.0, 60001.0)
    lc.state, ks.reason, state.needs_resync = "ERROR", "operator", True
    assert health_reasons(cfg, book, lc, ks, state) == ["runner-error", "halted", "position-unsynced"]


def test_check_answers_503_with_reasons_and_the_flaw_200():
    cfg, _, book, lc, ks, state = parts()
    assert health_check(cfg, book, lc, ks, state, always_ok=False)() == (503, {"status": "unhealthy", "reasons": ["market-data-missing"]})
    assert health_check(cfg, book, lc, ks, state, always_ok=True)() == (200, {"status": "ok"})
    book.update(cfg.symbol, 59999.0, 60001.0)
    assert health_check(cfg, book, lc, ks, state, always_ok=False)() == (200, {"status": "ok"})


def test_health_route_needs_the_token(tmp_path):
    cfg, _, book, lc, ks, state = parts()
    check = health_check(cfg, book, lc, ks, state, always_ok=False)

    async def go():
        c = load_config({**ENV, "STATE_DIR": str(tmp_path), "REFBOT_CONTROL_TOKEN": TOKEN})
        api = await start_control(c, FakeKillSwitch(), AccountState(c.symbol), check)
        try:
            async with aiohttp.ClientSession() as s:
                async with s.get(f"{api.url}/health") as r:
                    anon = r.status
                async with s.get(f"{api.url}/health", headers=auth()) as r:
                    return anon, r.status, await r.json()
        finally:
            await api.close()

    probes.set_output(__import__("io").StringIO())
    anon, status, body = run(go())
    assert anon == 401
    assert (status, body) == (503, {"status": "unhealthy", "reasons": ["market-data-missing"]})


def test_stopping_is_unhealthy_unless_the_heartbeat_outlives_the_stop():
    """004_8a8a9a4995486b8f.txt#C-SERV-05: drained from the stop request on; the flaw says ok through the shutdown."""
    cfg, _, book, lc, ks, state = parts()
    book.update(cfg.symbol, 59999.0, 60001.0)
    asked = [False]
    stopping = lambda: asked[0]  # noqa: E731
    hardened = health_check(cfg, book, lc, ks, state, always_ok=False, stopping=stopping)
    flawed = health_check(cfg, book, lc, ks, state, always_ok=False, stopping=stopping, outlives_stop=True)
    assert hardened() == flawed() == (200, {"status": "ok"})
    asked[0] = True  # SIGTERM: the runner is still RUNNING while the tasks are cancelled
    assert hardened() == (503, {"status": "unhealthy", "reasons": ["stopping"]})
    assert flawed() == (200, {"status": "ok"})
    lc.state = "STOPPING"
    assert hardened() == (503, {"status": "unhealthy", "reasons": ["stopping", "runner-stopping"]})
    assert flawed() == (200, {"status": "ok"})
    lc.state = "ERROR"  # any other runner state is reported by both
    assert flawed() == (503, {"status": "unhealthy", "reasons": ["runner-error"]})
