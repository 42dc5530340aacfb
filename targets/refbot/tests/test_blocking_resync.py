"""Flaw blocking-clock-resync (004_8a8a9a4995486b8f.txt#C-ADAPTER-02): the clock resync's HTTP call
blocks the event loop's thread, so a slow server-time endpoint freezes the loop (heartbeat
included); hardened awaits it and the loop keeps running. Both measure the same offset."""

from __future__ import annotations

import asyncio
import io
import json
import time

import aiohttp
from httpstub import JsonHandler, serving

from refbot import probes
from refbot.config import load_config
from refbot.prices import PriceBook
from refbot.rest import RestClient
from refbot.state import AccountState, ClientIds
from refbot.strategy import Trader
from test_clock_skew import F

SLOW_S = 0.6


class SlowTime(JsonHandler):
    def do_GET(self):
        time.sleep(SLOW_S)
        self.reply(200, json.dumps({"serverTime": int(time.time() * 1000) + 250}).encode())


def longest_gap_during_resync(flaws: str) -> tuple[float, int]:
    """The longest pause of a 20 ms ticker while the trader re-syncs its clock, and the offset."""
    probes.set_output(io.StringIO())
    with serving(SlowTime) as url:

        async def main() -> tuple[float, int]:
            async with aiohttp.ClientSession() as session:
                cfg = load_config({"VENUE_REST_URL": url, "VENUE_WS_URL": "ws://127.0.0.1:1", "VENUE_API_KEY": "k", "VENUE_API_SECRET": "s", "REFBOT_FLAWS": flaws})
                rest = RestClient(session, url, "k", "s")
                trader = Trader(cfg, rest, PriceBook(clear_on_disconnect=False), AccountState("BTCUSDT"), F, ClientIds("bot-1", None))
                beats: list[float] = []

                async def ticker() -> None:
                    while True:
                        beats.append(time.monotonic())
                        await asyncio.sleep(0.02)

                t = asyncio.create_task(ticker())
                await asyncio.sleep(0.1)
                await trader._resync_clock()
                await asyncio.sleep(0.1)
                t.cancel()
                return max(b - a for a, b in zip(beats, beats[1:])), rest.offset_ms

        return asyncio.run(main())


def test_hardened_resync_is_awaited_and_the_loop_keeps_running():
    gap, offset = longest_gap_during_resync("none")
    assert gap < SLOW_S / 2
    assert 200 <= offset <= 300 + SLOW_S * 1000


def test_flaw_blocking_resync_freezes_the_loop_for_the_slow_answer():
    gap, offset = longest_gap_during_resync("blocking-clock-resync")
    assert gap >= SLOW_S * 0.9
    assert 200 <= offset <= 300 + SLOW_S * 1000
