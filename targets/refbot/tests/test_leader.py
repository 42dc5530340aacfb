"""Leader lock against a real redis-server (002_3e6ca2bf6dfde12d.txt#R8).

Two LeaderLocks share a key. The holder is "paused" (not stepped) past the TTL, the standby takes
over. Hardened: the paused holder's lease has expired locally, so it does not trade, and its
compare-and-extend finds a foreign value and demotes it. Flaw unfenced-leader-lock: it still
believes it leads, and its blind PEXPIRE extends the new holder's key: two writers.
"""

from __future__ import annotations

import asyncio
import io
import shutil
import socket
import subprocess
import sys
import time

import pytest

from refbot import probes
from refbot.config import KNOWN_FLAWS, load_config
from refbot.flaws import UNFENCED_LEADER_LOCK
from refbot.leader import LeaderLock
from refbot.resp import RedisClient, RedisError, encode

KEY = "refbot:leader:TEST"
TTL = 300
ENV = {"VENUE_REST_URL": "http://127.0.0.1:1", "VENUE_WS_URL": "ws://127.0.0.1:1", "VENUE_API_KEY": "k", "VENUE_API_SECRET": "s"}


@pytest.fixture(scope="module")
def redis_url():
    exe = shutil.which("redis-server")
    if exe is None:
        pytest.skip("redis-server is not installed (npm run provision installs it)")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([exe, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], stdout=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), 0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(5)


@pytest.fixture(autouse=True)
def quiet_probes():
    probes.set_output(io.StringIO())
    yield
    probes.set_output(sys.stdout)


def test_flaw_is_known_and_ttl_validated() -> None:
    assert UNFENCED_LEADER_LOCK in KNOWN_FLAWS
    assert load_config({**ENV, "REFBOT_LEADER_TTL_MS": "2000"}).leader_ttl_ms == 2000
    with pytest.raises(Exception, match="REFBOT_LEADER_TTL_MS"):
        load_config({**ENV, "REFBOT_LEADER_TTL_MS": "10"})


def test_resp_encoding_and_errors(redis_url) -> None:
    assert encode(["SET", "k", 1]) == b"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\n1\r\n"

    async def main() -> None:
        c = RedisClient(redis_url)
        assert await c.command("SET", "x", "héllo") == "OK"
        assert await c.command("GET", "x") == "héllo"
        assert await c.command("GET", "missing") is None
        assert await c.command("DEL", "x") == 1
        with pytest.raises(RedisError):
            await c.command("NOSUCHCOMMAND")
        c.close()

    asyncio.run(main())


async def takeover(url: str, fenced: bool) -> tuple[LeaderLock, LeaderLock, RedisClient]:
    a = LeaderLock(RedisClient(url), KEY, "bot-1", TTL, fenced=fenced)
    b = LeaderLock(RedisClient(url), KEY, "bot-2", TTL, fenced=True)
    raw = RedisClient(url)
    await raw.command("DEL", KEY)
    await a.step()
    await b.step()
    assert a.leader and a.may_trade() and not b.leader and not b.may_trade()
    await a.step()  # a renewal
    assert await raw.command("GET", KEY) == a.owner
    await asyncio.sleep(TTL / 1000 + 0.1)  # a is "paused" past the TTL
    await b.step()
    assert b.leader and b.may_trade() and await raw.command("GET", KEY) == b.owner
    return a, b, raw


def test_hardened_paused_holder_stops_trading_and_is_demoted(redis_url) -> None:
    async def main() -> None:
        a, b, raw = await takeover(redis_url, fenced=True)
        assert not a.may_trade()  # its lease expired by its own clock, before any Redis round trip
        await a.step()
        assert not a.leader and not a.may_trade()
        assert await raw.command("GET", KEY) == b.owner
        ttl = await raw.command("PTTL", KEY)
        assert 0 < ttl <= TTL

    asyncio.run(main())


def test_flawed_paused_holder_trades_beside_the_new_leader(redis_url) -> None:
    async def main() -> None:
        a, b, raw = await takeover(redis_url, fenced=False)
        await a.step()  # blind PEXPIRE: extends b's key
        assert a.leader and a.may_trade() and b.may_trade()  # two writers
        assert await raw.command("GET", KEY) == b.owner

    asyncio.run(main())


def test_hardened_holder_notices_a_stolen_key(redis_url) -> None:
    async def main() -> None:
        raw = RedisClient(redis_url)
        await raw.command("DEL", KEY)
        a = LeaderLock(RedisClient(redis_url), KEY, "bot-1", TTL, fenced=True)
        await a.step()
        assert a.may_trade()
        await raw.command("SET", KEY, "faultline-thief", "PX", 5000)
        await a.step()
        assert not a.leader and not a.may_trade()
        await a.step()  # stays a standby while the thief holds the key
        assert not a.leader

    asyncio.run(main())


def test_hardened_holder_stops_when_redis_is_unreachable() -> None:
    async def main() -> None:
        a = LeaderLock(RedisClient("redis://127.0.0.1:1", timeout_s=0.2), KEY, "bot-1", TTL, fenced=True)
        a.leader, a.lease_until = True, time.monotonic() + TTL / 1000  # as if just renewed
        assert a.may_trade()
        await a.step()  # renewal fails: the lease is kept, not extended
        await asyncio.sleep(TTL * 2 / 3000 + 0.05)  # past the lease minus its ttl/3 margin
        assert not a.may_trade()

    asyncio.run(main())
