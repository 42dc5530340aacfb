"""Binance USD-M REST client: public, API-key and SIGNED (HMAC-SHA256) requests."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import time
import urllib.request
from typing import Any, Iterable
from urllib.parse import urlencode

import aiohttp
from yarl import URL

from .reqlog import log_request

log = logging.getLogger("refbot.rest")

RECV_WINDOW_MS = 5000


def sign(secret: str, payload: str) -> str:
    """Binance SIGNED: hex HMAC-SHA256 of the exact urlencoded parameter string."""
    return hmac.new(secret.encode(), payload.encode(), hashlib.sha256).hexdigest()


def signed_query(params: Iterable[tuple[str, Any]], secret: str, timestamp_ms: int, recv_window: int = RECV_WINDOW_MS) -> str:
    """`k=v&...&recvWindow=..&timestamp=..&signature=<hex>`; the signature is always last."""
    items = [(k, _fmt(v)) for k, v in params if v is not None]
    items += [("recvWindow", str(recv_window)), ("timestamp", str(timestamp_ms))]
    payload = urlencode(items)
    return f"{payload}&signature={sign(secret, payload)}"


def _fmt(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


class BinanceError(Exception):
    def __init__(self, status: int, code: int, msg: str, path: str) -> None:
        super().__init__(f"{path}: HTTP {status} code={code} msg={msg}")
        self.status, self.code, self.msg, self.path = status, code, msg, path


class ClockSkewError(Exception):
    """The server-time sync measured an offset beyond the allowed maximum: the local clock (or the
    venue's) is in a known-bad state. The measured offset is not applied."""

    def __init__(self, offset_ms: int, max_offset_ms: int) -> None:
        super().__init__(f"clock offset {offset_ms} ms exceeds the maximum of {max_offset_ms} ms")
        self.offset_ms, self.max_offset_ms = offset_ms, max_offset_ms


def outcome_unknown(e: BaseException) -> bool:
    """True when a failed order request may still have executed on the venue: a timeout or
    transport error (the answer was lost), an HTTP 5xx, or Binance's -1007 ("send status unknown;
    execution status unknown"). A 4xx with a Binance code is a definite rejection."""
    if isinstance(e, BinanceError):
        return e.status >= 500 or e.code == -1007
    return isinstance(e, (aiohttp.ClientError, asyncio.TimeoutError, OSError))


class RestClient:
    def __init__(
        self,
        session: aiohttp.ClientSession,
        base_url: str,
        api_key: str,
        api_secret: str,
        timeout_s: float = 5.0,
        order_timeout_s: float = 2.0,
    ) -> None:
        self.session = session
        self.base_url = base_url.rstrip("/")
        self.api_key = api_key
        self.api_secret = api_secret
        self.timeout = aiohttp.ClientTimeout(total=timeout_s)
        # Order placement gives up quickly (REFBOT_ORDER_TIMEOUT_MS): its outcome is then unknown.
        self.order_timeout_s = order_timeout_s
        self.offset_ms = 0  # server time - local time
        self.debug_unredacted = False  # flaw debug-log-leaks-api-key (refbot/reqlog.py)

    def now_ms(self) -> int:
        return int(time.time() * 1000) + self.offset_ms

    async def request(
        self,
        method: str,
        path: str,
        params: Iterable[tuple[str, Any]] = (),
        *,
        signed: bool = False,
        keyed: bool = False,
        timeout_s: float | None = None,
    ) -> Any:
        if signed:
            query = signed_query(params, self.api_secret, self.now_ms())
        else:
            query = urlencode([(k, _fmt(v)) for k, v in params if v is not None])
        url = URL(f"{self.base_url}{path}" + (f"?{query}" if query else ""), encoded=True)
        headers = {"X-MBX-APIKEY": self.api_key} if (signed or keyed) else {}
        timeout = aiohttp.ClientTimeout(total=timeout_s) if timeout_s else self.timeout
        log_request(method, str(url), headers, self.debug_unredacted)  # DEBUG only (refbot/reqlog.py)
        async with self.session.request(method, url, headers=headers, timeout=timeout) as resp:
            text = await resp.text()
            try:
                body = json.loads(text) if text else None
            except ValueError:
                body = None
            if isinstance(body, dict) and "code" in body and "msg" in body and (resp.status >= 400 or int(body["code"]) < 0):
                raise BinanceError(resp.status, int(body["code"]), str(body["msg"]), path)
            if resp.status >= 400:
                raise BinanceError(resp.status, -resp.status, text[:200], path)
            return body

    # -- endpoints ------------------------------------------------------------------
    async def sync_time(self, max_offset_ms: int | None = None) -> int:
        """Measures server time - local time and applies it; with max_offset_ms, an offset beyond
        it raises ClockSkewError (drift guard) and leaves the current offset as it was."""
        t0 = time.time() * 1000
        body = await self.request("GET", "/fapi/v1/time")
        return self._apply_offset(body, t0, time.time() * 1000, max_offset_ms)

    def sync_time_blocking(self, max_offset_ms: int | None = None) -> int:
        """sync_time with a blocking HTTP call on the calling thread (flaw blocking-clock-resync:
        004_8a8a9a4995486b8f.txt#C-ADAPTER-02, the resync's HTTP call made inside the hot path)."""
        t0 = time.time() * 1000
        with urllib.request.urlopen(f"{self.base_url}/fapi/v1/time", timeout=10) as r:
            body = json.loads(r.read())
        return self._apply_offset(body, t0, time.time() * 1000, max_offset_ms)

    def _apply_offset(self, body: Any, t0: float, t1: float, max_offset_ms: int | None) -> int:
        offset = int(int(body["serverTime"]) - (t0 + t1) / 2)
        if max_offset_ms is not None and abs(offset) > max_offset_ms:
            raise ClockSkewError(offset, max_offset_ms)
        self.offset_ms = offset
        return self.offset_ms

    async def exchange_info(self) -> dict:
        return await self.request("GET", "/fapi/v1/exchangeInfo")

    async def position_mode(self) -> dict:
        return await self.request("GET", "/fapi/v1/positionSide/dual", signed=True)

    async def account(self) -> dict:
        return await self.request("GET", "/fapi/v3/account", signed=True)

    async def position_risk(self, symbol: str) -> list:
        return await self.request("GET", "/fapi/v2/positionRisk", [("symbol", symbol)], signed=True)

    async def new_listen_key(self) -> str:
        body = await self.request("POST", "/fapi/v1/listenKey", keyed=True)
        return str(body["listenKey"])

    async def keepalive_listen_key(self) -> None:
        await self.request("PUT", "/fapi/v1/listenKey", keyed=True)

    async def delete_listen_key(self, timeout_s: float = 2.0) -> None:
        await self.request("DELETE", "/fapi/v1/listenKey", keyed=True, timeout_s=timeout_s)

    async def new_market_order(self, symbol: str, side: str, qty: str, reduce_only: bool, client_order_id: str) -> dict:
        params: list[tuple[str, Any]] = [
            ("symbol", symbol),
            ("side", side),
            ("type", "MARKET"),
            ("quantity", qty),
        ]
        if reduce_only:
            params.append(("reduceOnly", "true"))
        params.append(("newClientOrderId", client_order_id))
        return await self.request("POST", "/fapi/v1/order", params, signed=True, timeout_s=self.order_timeout_s)

    async def get_order(self, symbol: str, client_order_id: str) -> dict:
        """GET /fapi/v1/order by origClientOrderId; raises BinanceError -2013 when no such order exists."""
        params = [("symbol", symbol), ("origClientOrderId", client_order_id)]
        return await self.request("GET", "/fapi/v1/order", params, signed=True, timeout_s=self.order_timeout_s)
