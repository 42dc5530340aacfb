"""Flaw user-stream-aggregate-liveness (003_a7371304fd1017c8.txt#stale-detection-is-based-on-aggregate-update-counts)
against its fix, over a real WebSocket whose server never answers pings (a dead path that keeps the
socket open): hardened notices through its own ping and goes down; the flaw does not while market
traffic keeps the aggregate count moving."""

from __future__ import annotations

import asyncio

import aiohttp
from aiohttp import web

from refbot import flaws, liveness
from refbot.liveness import AggregateLiveness, run_user_stream


class Clock:
    def __init__(self) -> None:
        self.t = 0.0

    def __call__(self) -> float:
        return self.t


def test_flaw_is_registered():
    assert flaws.FLAWS["user-stream-aggregate-liveness"] == "003_a7371304fd1017c8.txt#stale-detection-is-based-on-aggregate-update-counts"


def test_aggregate_count_is_fresh_while_any_stream_talks():
    c = Clock()
    agg = AggregateLiveness(stale_s=10.0, clock=c)
    for _ in range(30):  # 30 s of market messages only
        c.t += 1.0
        agg.seen()
        assert not agg.stale()
    c.t += 10.5  # everything silent
    assert agg.stale()


async def _run(aggregate: AggregateLiveness | None, market_traffic: bool, seconds: float) -> dict:
    events = {"up": 0, "down": 0}

    async def handler(request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(autoping=False)  # a dead path: pings go unanswered, nothing is sent
        await ws.prepare(request)
        async for _ in ws:
            pass
        return ws

    app = web.Application()
    app.router.add_get("/ws/lk", handler)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def url() -> str:
        return f"ws://127.0.0.1:{port}/ws/lk"

    def up() -> None:
        events["up"] += 1

    def down() -> None:
        events["down"] += 1

    async def market() -> None:
        while True:
            await asyncio.sleep(0.05)
            if aggregate is not None:
                aggregate.seen()

    async with aiohttp.ClientSession() as session:
        tasks = [asyncio.create_task(run_user_stream(session, url, lambda d: None, up, down, aggregate))]
        if market_traffic:
            tasks.append(asyncio.create_task(market()))
        await asyncio.sleep(seconds)
        for t in tasks:
            t.cancel()
        await asyncio.wait(tasks, timeout=2.0)
    await runner.cleanup()
    return events


def test_hardened_pings_its_user_connection_and_notices_the_dead_path(monkeypatch):
    monkeypatch.setattr(liveness, "HEARTBEAT_S", 0.2)
    ev = asyncio.run(_run(None, market_traffic=True, seconds=1.5))
    assert ev["up"] >= 1 and ev["down"] >= 1


def test_flaw_never_notices_while_market_traffic_flows(monkeypatch):
    monkeypatch.setattr(liveness, "HEARTBEAT_S", 0.2)
    monkeypatch.setattr(liveness, "CHECK_S", 0.05)
    ev = asyncio.run(_run(AggregateLiveness(stale_s=0.3), market_traffic=True, seconds=1.5))
    assert ev == {"up": 1, "down": 0}


def test_flaw_restarts_only_when_every_stream_is_silent(monkeypatch):
    monkeypatch.setattr(liveness, "CHECK_S", 0.05)
    ev = asyncio.run(_run(AggregateLiveness(stale_s=0.3), market_traffic=False, seconds=1.5))
    assert ev["down"] >= 1 and ev["up"] >= 2
