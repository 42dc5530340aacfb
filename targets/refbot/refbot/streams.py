"""Market (bookTicker) and user-data WebSocket loops. Both reconnect forever with backoff."""

from __future__ import annotations

import asyncio
import json
import logging
import random
from typing import Awaitable, Callable

import aiohttp

log = logging.getLogger("refbot.streams")

BACKOFF_START_S = 0.25
BACKOFF_CAP_S = 2.0
RECONNECT = "reconnect"  # an on_message result: close this connection and reconnect
HEARTBEAT_S = 5.0  # ping interval; a silent (black-holed) link is noticed within ~1.5x this


def next_backoff(current: float) -> float:
    return min(BACKOFF_CAP_S, current * 2)


def jittered(delay: float) -> float:
    return delay + random.uniform(0, min(0.1, delay * 0.2))


async def run_ws(
    name: str,
    session: aiohttp.ClientSession,
    url_for: Callable[[], Awaitable[str]],
    on_message: Callable[[dict], str | None],
    on_up: Callable[[], Awaitable[None] | None],
    on_down: Callable[[], None],
    heartbeat_s: float | None = HEARTBEAT_S,
) -> None:
    """Connect, feed JSON messages to on_message, reconnect forever. Cancel to stop.

    heartbeat_s: ping interval of the connection's own liveness check (None: no ping, refbot/liveness.py)."""
    backoff = BACKOFF_START_S
    while True:
        up = False
        try:
            url = await url_for()
            async with session.ws_connect(url, heartbeat=heartbeat_s, timeout=aiohttp.ClientWSTimeout(ws_close=1.0), max_msg_size=0) as ws:
                up = True
                backoff = BACKOFF_START_S  # reset after a successful connect
                log.info("%s stream connected: %s", name, url)
                r = on_up()
                if asyncio.iscoroutine(r):
                    await r
                async for msg in ws:
                    if msg.type == aiohttp.WSMsgType.TEXT:
                        try:
                            data = json.loads(msg.data)
                        except ValueError:
                            log.warning("%s stream: non-JSON frame ignored: %.120s", name, msg.data)
                            continue
                        try:
                            if on_message(data) == RECONNECT:
                                log.warning("%s stream: handler asked for a reconnect", name)
                                break
                        except Exception:
                            log.exception("%s stream: handler failed on %.200s", name, msg.data)
                    elif msg.type in (aiohttp.WSMsgType.ERROR, aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED):
                        break
                log.warning("%s stream closed (code %s)", name, ws.close_code)
        except asyncio.CancelledError:
            raise  # shutting down: no "down" transition to report
        except Exception as e:
            log.warning("%s stream error: %s: %s", name, type(e).__name__, e)
        if up:
            on_down()
        delay = jittered(backoff)
        backoff = next_backoff(backoff)
        log.info("%s stream: reconnecting in %.2fs", name, delay)
        await asyncio.sleep(delay)


def parse_book_ticker(data: dict) -> tuple[str, float, float, int | None] | None:
    """bookTicker `{"e":"bookTicker","s","b","a","E",...}` (also accepts a combined-stream wrapper)."""
    if "stream" in data and isinstance(data.get("data"), dict):
        data = data["data"]
    if data.get("e") not in (None, "bookTicker") or "b" not in data or "a" not in data or "s" not in data:
        return None
    try:
        bid, ask = float(data["b"]), float(data["a"])
    except (TypeError, ValueError):
        return None
    if bid <= 0 or ask <= 0:
        return None
    return str(data["s"]), bid, ask, int(data["E"]) if data.get("E") is not None else None
