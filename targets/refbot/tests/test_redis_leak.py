"""refbot/resp.py against a Redis that stalls (accepts connections, never answers): the hardened
client closes a timed-out connection before dialling the next one; the flaw
redis-reconnect-leaks-connection (002_3e6ca2bf6dfde12d.txt#no-connection-pooling-for-redis-relies-on-client)
abandons each one open."""

from __future__ import annotations

import asyncio
import os

import pytest

from refbot.resp import RedisClient


class StalledRedis:
    """Accepts connections and reads commands, never answers; counts connections the client closed."""

    def __init__(self) -> None:
        self.accepted = 0
        self.closed_by_client = 0

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.accepted += 1
        while await reader.read(4096):
            pass  # swallow commands, answer nothing
        self.closed_by_client += 1
        writer.close()

    async def start(self) -> str:
        self.server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        port = self.server.sockets[0].getsockname()[1]
        return f"redis://127.0.0.1:{port}"


async def fail_commands(leak: bool, n: int) -> tuple[StalledRedis, RedisClient, int]:
    stalled = StalledRedis()
    url = await stalled.start()
    fds_before = len(os.listdir("/proc/self/fd"))
    c = RedisClient(url, timeout_s=0.1, leak_on_error=leak)
    for _ in range(n):
        with pytest.raises(asyncio.TimeoutError):
            await c.command("PEXPIRE", "k", 1000)
    await asyncio.sleep(0.2)  # let the server see EOFs
    grown = len(os.listdir("/proc/self/fd")) - fds_before
    return stalled, c, grown


def test_hardened_closes_each_timed_out_connection() -> None:
    async def go():
        stalled, c, grown = await fail_commands(False, 5)
        assert stalled.accepted == 5
        assert stalled.closed_by_client == 5
        assert c.abandoned == []
        stalled.server.close()
        # Only the server's own sockets remain: none of the client's.
        assert grown <= 1

    asyncio.run(go())


def test_flaw_abandons_each_timed_out_connection_open() -> None:
    async def go():
        stalled, c, grown = await fail_commands(True, 5)
        assert stalled.accepted == 5
        assert stalled.closed_by_client == 0  # every one still open
        assert len(c.abandoned) == 5
        assert grown >= 10  # both ends of 5 connections live in this process
        for w in c.abandoned:
            w.close()
        stalled.server.close()

    asyncio.run(go())
