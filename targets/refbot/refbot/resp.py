"""A minimal asyncio Redis client (RESP2): enough for the leader lock (AUTH, SET, EVAL, PEXPIRE)."""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import unquote, urlparse


class RedisError(Exception):
    """An error reply (-ERR ...) from Redis."""


class RedisClient:
    def __init__(self, url: str, timeout_s: float = 1.0, leak_on_error: bool = False) -> None:
        u = urlparse(url)
        if u.scheme not in ("redis", ""):
            raise ValueError(f"unsupported Redis URL scheme {u.scheme!r}")
        self.host = u.hostname or "127.0.0.1"
        self.port = u.port or 6379
        self.user = unquote(u.username) if u.username else None
        self.password = unquote(u.password) if u.password else None
        self.timeout_s = timeout_s
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None
        self._lock = asyncio.Lock()
        # Flaw redis-reconnect-leaks-connection (002_3e6ca2bf6dfde12d.txt#no-connection-pooling-for-redis-relies-on-client):
        # a failed command's connection is abandoned, not closed; the next command opens another.
        self.leak_on_error = leak_on_error
        self.abandoned: list[asyncio.StreamWriter] = []

    async def _connect(self) -> None:
        self._reader, self._writer = await asyncio.open_connection(self.host, self.port)
        if self.password is not None:
            auth = ["AUTH", self.user, self.password] if self.user else ["AUTH", self.password]
            await self._roundtrip(auth)

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
        self._reader = self._writer = None

    def _abandon(self) -> None:
        """FLAW 002_3e6ca2bf6dfde12d.txt#no-connection-pooling-for-redis-relies-on-client: no pool bounds
        or reuses connections; on a timeout the client just drops its handle on the connection (still
        open, still registered with the event loop) and the next command dials a new one: one socket
        leaked per failed command while Redis stalls."""
        if self._writer is not None:
            self.abandoned.append(self._writer)
        self._reader = self._writer = None

    async def command(self, *args: Any) -> Any:
        """Sends one command and returns its reply; on any transport error or timeout the
        connection is dropped (the next command reconnects) and the error is raised."""
        async with self._lock:
            try:
                return await asyncio.wait_for(self._command(list(args)), self.timeout_s)
            except RedisError:
                raise
            except BaseException:
                if self.leak_on_error:
                    self._abandon()
                else:
                    self.close()  # FIX: the connection of a failed command is closed before any reconnect
                raise

    async def _command(self, args: list[Any]) -> Any:
        if self._writer is None:
            await self._connect()
        return await self._roundtrip(args)

    async def _roundtrip(self, args: list[Any]) -> Any:
        assert self._writer is not None
        self._writer.write(encode(args))
        await self._writer.drain()
        return await self._read()

    async def _read(self) -> Any:
        assert self._reader is not None
        line = await self._reader.readline()
        if not line:
            raise ConnectionError("Redis closed the connection")
        kind, rest = line[:1], line[1:-2].decode()
        if kind == b"+":
            return rest
        if kind == b"-":
            raise RedisError(rest)
        if kind == b":":
            return int(rest)
        if kind == b"$":
            n = int(rest)
            if n < 0:
                return None
            data = await self._reader.readexactly(n + 2)
            return data[:-2].decode()
        if kind == b"*":
            n = int(rest)
            return None if n < 0 else [await self._read() for _ in range(n)]
        raise ConnectionError(f"unexpected Redis reply {line!r}")


def encode(args: list[Any]) -> bytes:
    out = [f"*{len(args)}\r\n".encode()]
    for a in args:
        b = str(a).encode()
        out.append(f"${len(b)}\r\n".encode() + b + b"\r\n")
    return b"".join(out)
