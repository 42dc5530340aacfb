"""Position mode at start-up (refbot/posmode.py): hedge mode is fatal unless flaw position-mode-unchecked."""

from __future__ import annotations

import asyncio

import aiohttp
import pytest

from refbot import flaws
from refbot.config import load_config
from refbot.posmode import PositionModeError, check_position_mode, hedge_mode
from refbot.rest import RestClient

from fakevenue import FakeVenue

BASE = {"VENUE_REST_URL": "http://127.0.0.1:40001", "VENUE_WS_URL": "ws://127.0.0.1:40002", "VENUE_API_KEY": "k", "VENUE_API_SECRET": "s"}


def flags(flaw: str = "none"):
    return load_config({**BASE, "REFBOT_FLAWS": flaw}).flags


class Rest:
    def __init__(self, body) -> None:
        self.body, self.asked = body, 0

    async def position_mode(self):
        self.asked += 1
        return self.body


def test_reads_dual_side_position_as_binance_sends_it():
    assert hedge_mode({"dualSidePosition": True}) is True
    assert hedge_mode({"dualSidePosition": False}) is False
    assert hedge_mode({"dualSidePosition": "true"}) is True
    with pytest.raises(PositionModeError, match="no dualSidePosition"):
        hedge_mode({"code": -1000})


def test_hedge_mode_is_fatal_naming_it():
    rest = Rest({"dualSidePosition": True})
    with pytest.raises(PositionModeError, match=r"hedge mode \(dualSidePosition=true\); refbot trades one-way"):
        asyncio.run(check_position_mode(rest, flags()))
    assert rest.asked == 1
    one_way = Rest({"dualSidePosition": False})
    asyncio.run(check_position_mode(one_way, flags()))
    assert one_way.asked == 1


def test_flaw_never_asks():
    # FLAW 001_0474a2fd1532b929.txt#H2: starts in whatever mode the account is in.
    rest = Rest({"dualSidePosition": True})
    asyncio.run(check_position_mode(rest, flags(flaws.POSITION_MODE_UNCHECKED)))
    assert rest.asked == 0


def test_signed_request_against_the_fake_venue():
    async def main():
        venue = FakeVenue()
        await venue.start()
        try:
            async with aiohttp.ClientSession() as s:
                rest = RestClient(s, f"http://127.0.0.1:{venue.port}", venue.api_key, venue.secret)
                venue.dual_side = True
                with pytest.raises(PositionModeError):
                    await check_position_mode(rest, flags())
                venue.dual_side = False
                await check_position_mode(rest, flags())
        finally:
            await venue.stop()
        assert venue.calls.count("positionSide/dual") == 2

    asyncio.run(main())
