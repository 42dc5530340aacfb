"""REST cross-check of the market-data mid: every REFBOT_REST_MID_MS, GET /fapi/v1/ticker/bookTicker
and compare its mid with the WebSocket one (a large divergence is logged and probed). The result
never feeds the price book; it is a sanity check, like the audited bot's `_get_rest_mid`.

Hardened (fix for 000_2ae31cbfe79758d1.txt#E-H4): an async request on the shared session with
one try and a short timeout (a circuit breaker of one): a failure is logged and the next poll
tries again, so no REST failure can hold the trading loop.

Flaw blocking-rest-retry (000_2ae31cbfe79758d1.txt#E-H4): a synchronous HTTP client called from
the event loop, with a 3-try retry loop that time.sleep()s its backoff (1 s, 2 s) between tries
of up to 3 s each. One failing or slow endpoint stalls the whole loop for seconds.

Flaw lock-held-during-io (004_8a8a9a4995486b8f.txt#H-ENG-05, #C-ADAPTER-01): the check runs in a
worker thread, but holds the price book's lock (a threading.RLock the market-data handler on the
event loop also takes) across its HTTP call, with the timeout (SYNC_TIMEOUT_S) inside the lock.
When the REST link stalls, the next market-data update blocks the loop on that lock until the
request times out.
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading
import time
import urllib.error
import urllib.request
from typing import Any, Callable

import aiohttp

from . import probes

log = logging.getLogger("refbot.restmid")

PATH = "/fapi/v1/ticker/bookTicker"
DIVERGENCE = 0.005  # 0.5 %
SYNC_TRIES = 3
SYNC_TIMEOUT_S = 3.0
SYNC_BACKOFF_S = (1.0, 2.0)
ASYNC_TIMEOUT_S = 1.0
SESSION_TIMEOUT_S = 10.0  # the shared session's total timeout (refbot/bot.py)
SLOW_FACTOR = 5  # flaw slow-mode-after-fetch-failure: the poll interval after one failure


def mid_of(body: Any) -> float | None:
    try:
        return (float(body["bidPrice"]) + float(body["askPrice"])) / 2
    except (KeyError, TypeError, ValueError):
        return None


def blocking_get(url: str) -> Any:
    """FLAW 000_2ae31cbfe79758d1.txt#E-H4: the retry loop of engine/rest_client.py, sleeping on
    the calling thread (here the event loop's)."""
    for attempt in range(SYNC_TRIES):
        try:
            with urllib.request.urlopen(url, timeout=SYNC_TIMEOUT_S) as resp:
                return json.loads(resp.read() or b"null")
        except urllib.error.HTTPError as e:
            if e.code < 500:
                raise  # a definite answer (4xx) is not retried
            err: Exception = e
        except (urllib.error.URLError, OSError) as e:
            err = e
        if attempt + 1 < SYNC_TRIES:
            log.warning("REST mid: %s; retrying in %.0f s", err, SYNC_BACKOFF_S[attempt])
            time.sleep(SYNC_BACKOFF_S[attempt])
    raise err


class RestMidCheck:
    def __init__(
        self,
        session: aiohttp.ClientSession,
        rest_url: str,
        symbol: str,
        ws_mid: Callable[[], float | None],
        blocking: bool,
        io_lock: threading.RLock | None = None,
        slow_after_failure: bool = False,
        timeout_s: float = ASYNC_TIMEOUT_S,
    ) -> None:
        self.session, self.url, self.ws_mid, self.blocking = session, f"{rest_url}{PATH}?symbol={symbol}", ws_mid, blocking
        # Flaw single-connection-pool (004_8a8a9a4995486b8f.txt#C-MAIN-06): the session's own timeout, not a short one.
        self.timeout_s = timeout_s
        # Flaw slow-mode-after-fetch-failure (004_8a8a9a4995486b8f.txt#H-SERV-02): see run().
        self.slow_after_failure, self.slow = slow_after_failure, False
        # With io_lock (flaw lock-held-during-io), the request runs in a thread holding that lock.
        self.io_lock = io_lock
        self.failures = 0
        self.last: tuple[float, float] | None = None  # (REST mid, monotonic time): refbot/limits.py's reference price

    async def fetch(self) -> Any:
        if self.blocking:
            return blocking_get(self.url)  # runs on the loop thread: nothing else runs meanwhile
        if self.io_lock is not None:
            return await asyncio.to_thread(self._get_under_lock)
        # FIX 000_2ae31cbfe79758d1.txt#E-H4: async, one try, bounded by ASYNC_TIMEOUT_S.
        async with self.session.get(self.url, timeout=aiohttp.ClientTimeout(total=self.timeout_s)) as resp:
            if resp.status >= 400:
                raise aiohttp.ClientResponseError(resp.request_info, resp.history, status=resp.status, message=resp.reason or "")
            return await resp.json(content_type=None)

    def _get_under_lock(self) -> Any:
        """FLAW 004_8a8a9a4995486b8f.txt#H-ENG-05 / #C-ADAPTER-01: the lock is held during the I/O
        and the timeout is inside it; one try, no retry."""
        assert self.io_lock is not None
        with self.io_lock:
            with urllib.request.urlopen(self.url, timeout=SYNC_TIMEOUT_S) as resp:
                return json.loads(resp.read() or b"null")

    async def poll(self) -> None:
        try:
            body = await self.fetch()
        except Exception as e:
            self.failures += 1
            log.warning("REST mid check failed: %s: %s", type(e).__name__, e)
            return
        rest, ws = mid_of(body), self.ws_mid()
        if rest is not None and rest > 0:
            self.last = (rest, time.monotonic())
        if rest is not None and ws is not None and abs(rest - ws) / rest > DIVERGENCE:
            log.warning("REST mid %.2f diverges from the stream's %.2f", rest, ws)
            probes.emit("mid-divergence", restMid=rest, wsMid=ws)

    async def run(self, interval_s: float) -> None:
        while True:
            await asyncio.sleep(interval_s * SLOW_FACTOR if self.slow else interval_s)
            before = self.failures
            await self.poll()
            if self.slow_after_failure and self.failures > before and not self.slow:
                # FLAW 004_8a8a9a4995486b8f.txt#H-SERV-02: one failed fetch switches the poll to slow
                # mode for good (nothing ever switches it back). FIX: no sticky mode; the session's
                # breaker (refbot/outbound.py) backs off while failing, and normal cadence resumes.
                log.warning("REST mid check: switching to slow mode (every %.1f s)", interval_s * SLOW_FACTOR)
                self.slow = True
