"""Outbound discipline towards the venue's REST API: Retry-After, backoff, circuit breaking, and
which errors may be retried at all.

Hardened (flaws off), enforced by one aiohttp client middleware on the bot's only HTTP session, so
that no REST path can bypass it (the rate limiter on every path: fix for 004_8a8a9a4995486b8f.txt#H-SERV-04
and 004_8a8a9a4995486b8f.txt#H-ADAPTER-03):
- 429 / 418 with Retry-After: no REST request at all leaves the bot until Retry-After has elapsed
  (Binance counts weight per IP; fix for 002_3e6ca2bf6dfde12d.txt#no-exponential-backoff-visible-in-code-scan);
- a circuit breaker per endpoint (method + path): after BREAKER_THRESHOLD consecutive transient
  failures (5xx, 408, timeout, lost connection) the endpoint is left alone for an open period that
  grows exponentially with jitter and a cap (BREAKER_BASE_S doubling to BREAKER_CAP_S, the audit's
  tenacity `wait_exponential(min=2, max=10)` after `stop_after_attempt(3)`), then one half-open
  probe decides (fix for 002_3e6ca2bf6dfde12d.txt#no-circuit-breaker-pattern-for-external-apis and
  004_8a8a9a4995486b8f.txt#H-SERV-03);
- a blocked request is never sent: it raises RequestBlocked locally (definitely not executed);
- definite rejections (4xx) are never retried by the order path (004_8a8a9a4995486b8f.txt#H-SERV-01).

The flaws (refbot/flaws.py) switch parts of this off the way the audited code lacked them.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from dataclasses import dataclass
from typing import Any, Callable

import aiohttp

from . import flaws, probes
from .rest import BinanceError

log = logging.getLogger("refbot.outbound")

BREAKER_THRESHOLD = 3  # consecutive transient failures of one endpoint that open its breaker
BREAKER_BASE_S = 2.0  # first open period; doubles with every re-open while failures go on
BREAKER_CAP_S = 10.0
BREAKER_JITTER = 0.25  # open period * (1 + U(0, BREAKER_JITTER)), then capped
DEFAULT_RETRY_AFTER_S = 1.0  # a 429/418 without a usable Retry-After header
MARKET_DATA_PATHS = ("/fapi/v1/ticker/", "/fapi/v1/depth")  # what flaw limiter-skips-market-data leaves unguarded

FLAWED_RETRY_DELAY_S = 0.2  # the flawed order loop's fixed pause between re-sends
FLAWED_PERMANENT_ATTEMPTS = 3  # flaw retry-permanent-errors: tries per order, whatever the error
FLAWED_TRANSIENT_ATTEMPTS = 20  # flaw retry-without-backoff: tries per order on a 5xx failure

RATE_LIMIT_CODES = (-1003, -1015)
# Binance codes of 5xx answers that report a failed operation, safe to retry later (-1001
# "Internal error; unable to process your request. Please try again.", -1008 server overloaded),
# as opposed to -1000/-1007 "execution status unknown" (see rest.outcome_unknown for that side).
DEFINITE_FAILURE_CODES = (-1001, -1008)


class RequestBlocked(Exception):
    """Not sent: the venue asked for a pause (Retry-After) or the endpoint's breaker is open.

    Deliberately not an aiohttp.ClientError/OSError: the order was definitely not placed."""

    def __init__(self, reason: str, key: str, wait_s: float) -> None:
        super().__init__(f"{key}: not sent ({reason}, {wait_s:.2f} s left)")
        self.reason, self.key, self.wait_s = reason, key, wait_s


def is_rest_path(path: str) -> bool:
    """REST calls only: WebSocket upgrades (/ws/.., /stream) go through the same session."""
    return path.startswith(("/fapi/", "/futures/", "/api/", "/sapi/"))


def retry_after_s(headers: Any) -> float:
    raw = headers.get("Retry-After") if headers is not None else None
    try:
        v = float(raw) if raw is not None else DEFAULT_RETRY_AFTER_S
    except (TypeError, ValueError):
        v = DEFAULT_RETRY_AFTER_S
    return max(v, DEFAULT_RETRY_AFTER_S)


def transient_status(status: int) -> bool:
    """An answer that says "the endpoint is failing right now": 5xx or 408."""
    return status >= 500 or status == 408


def definite_transient(e: BaseException) -> bool:
    """A 5xx whose Binance code documents a failed operation (-1001, -1008): not executed, may be
    retried later. Not -1000/-1007 (status unknown) nor a lost answer."""
    return isinstance(e, BinanceError) and e.status >= 500 and e.code in DEFINITE_FAILURE_CODES


def is_permanent(e: BaseException) -> bool:
    """A definite rejection that the same request would meet again (bad params, margin, filters)."""
    if not isinstance(e, BinanceError) or not (400 <= e.status < 500):
        return False
    return e.status not in (408, 418, 429) and e.code not in RATE_LIMIT_CODES + (-1021, -1007, -1001)


@dataclass
class _Endpoint:
    failures: int = 0
    opens: int = 0
    open_until: float = 0.0
    probing: bool = False


class OutboundGuard:
    """Client-side discipline for every REST request on the session (see the module doc)."""

    def __init__(
        self,
        honour_retry_after: bool = True,
        breaker: bool = True,
        clock: Callable[[], float] = time.monotonic,
        rng: random.Random | None = None,
        unguarded: tuple[str, ...] = (),
    ) -> None:
        self.honour_retry_after, self.breaker = honour_retry_after, breaker
        self.unguarded = unguarded  # path prefixes that bypass the guard (flaw limiter-skips-market-data)
        self.clock = clock
        self.rng = rng or random.Random()
        self.blocked_until = 0.0
        self.endpoints: dict[str, _Endpoint] = {}

    @classmethod
    def for_flags(cls, flags: Any) -> "OutboundGuard":
        return cls(
            honour_retry_after=not flags.has(flaws.IGNORE_RETRY_AFTER),
            breaker=not flags.has(flaws.RETRY_WITHOUT_BACKOFF),
            unguarded=MARKET_DATA_PATHS if flags.has(flaws.LIMITER_SKIPS_MARKET_DATA) else (),
        )

    # -- decisions ----------------------------------------------------------------------
    def blocked(self, method: str, path: str) -> RequestBlocked | None:
        """Why a request to this endpoint may not be sent now (None: it may)."""
        now = self.clock()
        key = f"{method.upper()} {path}"
        if now < self.blocked_until:
            return RequestBlocked("retry-after", key, self.blocked_until - now)
        ep = self.endpoints.get(key)
        if ep is not None and ep.opens > 0:
            if now < ep.open_until:
                return RequestBlocked("breaker-open", key, ep.open_until - now)
            if ep.probing:
                return RequestBlocked("breaker-half-open", key, 0.0)
        return None

    def before(self, method: str, path: str) -> None:
        b = self.blocked(method, path)
        if b is not None:
            raise b
        ep = self.endpoints.get(f"{method.upper()} {path}")
        if ep is not None and ep.opens > 0:
            ep.probing = True  # half-open: this request is the one probe

    def on_answer(self, method: str, path: str, status: int, headers: Any = None) -> None:
        key = f"{method.upper()} {path}"
        if status in (418, 429):
            wait = retry_after_s(headers)
            if self.honour_retry_after:
                self.blocked_until = max(self.blocked_until, self.clock() + wait)
                log.warning("%s: HTTP %d, Retry-After %.0f s: no REST request until it elapses", key, status, wait)
            else:
                # FLAW 002_3e6ca2bf6dfde12d.txt#no-exponential-backoff-visible-in-code-scan: the
                # rate-limit answer is an error like any other; Retry-After is never read.
                log.warning("%s: HTTP %d (rate limited)", key, status)
            return
        if transient_status(status):
            self.on_failure(method, path, f"HTTP {status}")
        else:
            self._close(key)

    def on_failure(self, method: str, path: str, why: str) -> None:
        key = f"{method.upper()} {path}"
        ep = self.endpoints.setdefault(key, _Endpoint())
        ep.failures += 1
        ep.probing = False
        if not self.breaker:
            # FLAW 002_3e6ca2bf6dfde12d.txt#no-circuit-breaker-pattern-for-external-apis /
            # 004_8a8a9a4995486b8f.txt#H-SERV-03: failures are counted nowhere; the endpoint is
            # called at full rate however often it fails.
            return
        if ep.failures >= BREAKER_THRESHOLD:
            ep.opens += 1
            period = min(BREAKER_CAP_S, BREAKER_BASE_S * 2 ** (ep.opens - 1))
            period = min(BREAKER_CAP_S, period * (1 + self.rng.uniform(0, BREAKER_JITTER)))
            ep.open_until = self.clock() + period
            log.warning("%s: %d consecutive failures (%s); breaker open for %.2f s", key, ep.failures, why, period)
            probes.emit("breaker", endpoint=key, state="open", failures=ep.failures, openS=round(period, 3))

    def _close(self, key: str) -> None:
        ep = self.endpoints.get(key)
        if ep is None:
            return
        if ep.opens > 0:
            log.info("%s answered again; breaker closed", key)
            probes.emit("breaker", endpoint=key, state="closed", failures=ep.failures, openS=0)
        del self.endpoints[key]

    # -- the session middleware -----------------------------------------------------------
    async def middleware(self, req: aiohttp.ClientRequest, handler: aiohttp.ClientHandlerType) -> aiohttp.ClientResponse:
        path = req.url.path
        if not is_rest_path(path):
            return await handler(req)
        if self.unguarded and path.startswith(self.unguarded):
            # FLAW 004_8a8a9a4995486b8f.txt#H-SERV-04 / #H-ADAPTER-03: get_ticker() and
            # fetch_order_book() call the exchange directly, past the rate limiter.
            return await handler(req)
        self.before(req.method, path)
        try:
            resp = await handler(req)
        except (aiohttp.ClientError, OSError, asyncio.TimeoutError, asyncio.CancelledError) as e:
            # A timeout cancels the request inside aiohttp's timer: it shows here as CancelledError.
            self.on_failure(req.method, path, type(e).__name__)
            raise
        self.on_answer(req.method, path, resp.status, resp.headers)
        return resp


def tick_blocked(guard: OutboundGuard | None, method: str, path: str) -> bool:
    """For the trading loop: True (and a skip probe) when an order could not be sent now."""
    if guard is None:
        return False
    b = guard.blocked(method, path)
    if b is None:
        return False
    log.warning("tick: %s; not trading this tick", b)
    probes.skip(b.reason, None)
    return True


def flawed_retry_delay(flags: Any, e: BaseException, attempt: int) -> float | None:
    """The audited order loop's re-send of the SAME request after an error, or None (hardened:
    never here; a definite rejection ends the intent, an unknown outcome is looked up first)."""
    if isinstance(e, RequestBlocked):
        return None
    # FLAW 004_8a8a9a4995486b8f.txt#H-SERV-01: all exceptions treated equally, so a permanent
    # rejection (margin, precision, min notional) is re-sent as-is and meets the same answer.
    if flags.has(flaws.RETRY_PERMANENT_ERRORS) and is_permanent(e) and attempt < FLAWED_PERMANENT_ATTEMPTS:
        return FLAWED_RETRY_DELAY_S
    # FLAW 002_3e6ca2bf6dfde12d.txt#no-exponential-backoff-visible-in-code-scan: a failed request is
    # re-sent after a fixed short pause, attempt after attempt, while the venue keeps failing.
    if flags.has(flaws.RETRY_WITHOUT_BACKOFF) and definite_transient(e) and attempt < FLAWED_TRANSIENT_ATTEMPTS:
        return FLAWED_RETRY_DELAY_S
    return None
