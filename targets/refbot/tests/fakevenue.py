"""A tiny throwaway Binance USD-M look-alike for refbot's live tests (aiohttp server).

Only what refbot uses: time, exchangeInfo, account, positionRisk, leverageBracket, listenKey, MARKET orders
(filled at once at the mid), a bookTicker market stream, a diff-depth stream with its snapshot
endpoint and a user-data stream. It checks
API keys and HMAC signatures, so a signing bug fails the live test too.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import time
from decimal import Decimal
from urllib.parse import parse_qsl

from aiohttp import WSMsgType, web

SYMBOL = "BTCUSDT"


def now_ms() -> int:
    return int(time.time() * 1000)


class FakeVenue:
    def __init__(self, api_key: str = "test-key", secret: str = "test-secret", price: float = 50000.0) -> None:
        self.api_key, self.secret = api_key, secret
        self.price = price
        self.position = Decimal(0)
        self.entry = 0.0
        self.listen_key = "lk-test-0001"
        self.market_ws: set[web.WebSocketResponse] = set()
        self.user_ws: set[web.WebSocketResponse] = set()
        self.depth_ws: set[web.WebSocketResponse] = set()  # <symbol>@depth@100ms (refbot/depth.py)
        self.depth_u = 1
        self.market_blocked_until = 0.0
        self.orders: list[dict] = []
        self.rejects: list[str] = []
        self.calls: list[str] = []
        self.dual_side = False  # account position mode (GET /fapi/v1/positionSide/dual)
        self.app = web.Application()
        r = self.app.router
        r.add_get("/fapi/v1/time", self.time)
        r.add_get("/fapi/v1/exchangeInfo", self.exchange_info)
        r.add_get("/fapi/v3/account", self.account)
        r.add_get("/fapi/v1/positionSide/dual", self.position_side_dual)
        r.add_get("/fapi/v2/positionRisk", self.position_risk)
        r.add_get("/fapi/v1/openOrders", self.open_orders)
        r.add_get("/fapi/v2/balance", self.balance)  # refbot/riskguard.py
        r.add_get("/fapi/v1/income", self.income)
        r.add_get("/fapi/v1/depth", self.depth)
        r.add_get("/fapi/v1/klines", self.klines)  # refbot/warmup.py
        r.add_get("/fapi/v1/leverageBracket", self.leverage_bracket)  # refbot/tiers.py
        r.add_route("*", "/fapi/v1/listenKey", self.listen_key_route)
        r.add_post("/fapi/v1/order", self.order)
        r.add_get("/ws/{stream:.+}", self.ws)  # raw streams, several joined by "/"
        self.runner: web.AppRunner | None = None
        self.port = 0
        self._ticker: asyncio.Task | None = None
        self.hang_delete = False
        self._stopping = asyncio.Event()

    async def start(self) -> None:
        self.runner = web.AppRunner(self.app)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self._ticker = asyncio.create_task(self._tick())

    async def stop(self) -> None:
        self._stopping.set()
        if self._ticker:
            self._ticker.cancel()
        for ws in list(self.market_ws | self.user_ws | self.depth_ws):
            await ws.close()
        if self.runner:
            await self.runner.cleanup()

    # -- helpers ------------------------------------------------------------------------
    def _err(self, status: int, code: int, msg: str) -> web.Response:
        self.rejects.append(f"{code} {msg}")
        return web.json_response({"code": code, "msg": msg}, status=status)

    def _check_key(self, req: web.Request) -> web.Response | None:
        if req.headers.get("X-MBX-APIKEY") != self.api_key:
            return self._err(401, -2015, "Invalid API-key, IP, or permissions for action.")
        return None

    async def _check_signed(self, req: web.Request) -> tuple[dict, web.Response | None]:
        bad = self._check_key(req)
        if bad:
            return {}, bad
        raw = req.query_string + (await req.text())
        if "&signature=" not in raw:
            return {}, self._err(400, -1102, "Mandatory parameter 'signature' was not sent.")
        payload, sig = raw.rsplit("&signature=", 1)
        want = hmac.new(self.secret.encode(), payload.encode(), hashlib.sha256).hexdigest()
        if sig != want:
            return {}, self._err(400, -1022, "Signature for this request is not valid.")
        params = dict(parse_qsl(payload))
        ts, rw = int(params.get("timestamp", 0)), int(params.get("recvWindow", 5000))
        if abs(now_ms() - ts) > rw:
            return {}, self._err(400, -1021, "Timestamp for this request is outside of the recvWindow.")
        return params, None

    def _book(self) -> dict:
        return {
            "e": "bookTicker", "u": 1, "E": now_ms(), "T": now_ms(), "s": SYMBOL,
            "b": f"{self.price - 0.1:.1f}", "B": "5.000", "a": f"{self.price + 0.1:.1f}", "A": "5.000",
        }

    def _kline(self) -> dict:
        """The live 1m candle (refbot/candles.py): flat at the current price."""
        t = now_ms() // 60_000 * 60_000
        p = f"{self.price:.1f}"
        return {"e": "kline", "E": now_ms(), "s": SYMBOL, "k": {"t": t, "T": t + 59_999, "s": SYMBOL, "i": "1m", "o": p, "c": p, "h": p, "l": p, "x": False}}

    def _levels(self) -> tuple[list, list]:
        return [[f"{self.price - 0.1:.1f}", "5.000"]], [[f"{self.price + 0.1:.1f}", "5.000"]]

    async def _tick(self) -> None:
        while True:
            msg = json.dumps(self._book())
            kline = json.dumps(self._kline())
            for ws in list(self.market_ws):
                try:
                    await ws.send_str(msg)
                    await ws.send_str(kline)
                except Exception:
                    self.market_ws.discard(ws)
            self.depth_u += 1
            b, a = self._levels()
            diff = json.dumps({"e": "depthUpdate", "E": now_ms(), "T": now_ms(), "s": SYMBOL, "U": self.depth_u, "u": self.depth_u, "pu": self.depth_u - 1, "b": b, "a": a})
            for ws in list(self.depth_ws):
                try:
                    await ws.send_str(diff)
                except Exception:
                    self.depth_ws.discard(ws)
            await asyncio.sleep(0.05)

    async def drop_market(self, seconds: float) -> None:
        """Close every market-data socket and refuse new ones for `seconds` (like Toxiproxy down)."""
        self.market_blocked_until = time.monotonic() + seconds
        for ws in list(self.market_ws | self.depth_ws):
            await ws.close()

    async def drop_user(self) -> None:
        """Close every user-data socket (reconnects are allowed at once)."""
        for ws in list(self.user_ws):
            await ws.close()

    # -- routes -------------------------------------------------------------------------
    async def depth(self, req: web.Request) -> web.Response:
        b, a = self._levels()
        return web.json_response({"lastUpdateId": self.depth_u, "E": now_ms(), "T": now_ms(), "bids": b, "asks": a})

    async def klines(self, req: web.Request) -> web.Response:
        """Flat one-minute candles at the current price from startTime (or the latest), up to now."""
        limit = int(req.query.get("limit", "500"))
        last = now_ms() // 60_000 * 60_000
        start = int(req.query["startTime"]) // 60_000 * 60_000 if "startTime" in req.query else last - (limit - 1) * 60_000
        p = str(self.price)
        rows = [[t, p, p, p, p, "1.0"] for t in range(start, last + 1, 60_000)][:limit]
        return web.json_response(rows)

    async def time(self, req: web.Request) -> web.Response:
        self.calls.append("time")
        return web.json_response({"serverTime": now_ms()})

    async def exchange_info(self, req: web.Request) -> web.Response:
        self.calls.append("exchangeInfo")
        return web.json_response({"symbols": [{
            "symbol": SYMBOL, "status": "TRADING",
            "filters": [
                {"filterType": "PRICE_FILTER", "tickSize": "0.10", "minPrice": "0.10", "maxPrice": "1000000"},
                {"filterType": "LOT_SIZE", "stepSize": "0.001", "minQty": "0.001", "maxQty": "1000"},
                {"filterType": "MIN_NOTIONAL", "notional": "100"},
            ],
        }]})

    async def position_side_dual(self, req: web.Request) -> web.Response:
        _, err = await self._check_signed(req)
        if err:
            return err
        self.calls.append("positionSide/dual")
        return web.json_response({"dualSidePosition": self.dual_side})

    def _pos_row(self) -> dict:
        return {"symbol": SYMBOL, "positionAmt": str(self.position), "entryPrice": str(self.entry), "positionSide": "BOTH", "leverage": "20"}

    async def leverage_bracket(self, req: web.Request) -> web.Response:
        _, bad = await self._check_signed(req)
        if bad:
            return bad
        self.calls.append("leverageBracket")
        # Binance's BTCUSDT tiers from 20x down: 50M USDT of position at 20x, far above refbot's size.
        brackets = [
            {"bracket": 4, "initialLeverage": 20, "notionalCap": 50000000, "notionalFloor": 8000000, "maintMarginRatio": 0.02, "cum": 82550},
            {"bracket": 5, "initialLeverage": 10, "notionalCap": 80000000, "notionalFloor": 50000000, "maintMarginRatio": 0.025, "cum": 332550},
        ]
        return web.json_response({"symbol": SYMBOL, "notionalCoef": 1.0, "brackets": brackets})

    async def account(self, req: web.Request) -> web.Response:
        _, bad = await self._check_signed(req)
        if bad:
            return bad
        self.calls.append("account")
        return web.json_response({"totalWalletBalance": "10000", "assets": [], "positions": [self._pos_row()]})

    async def balance(self, req: web.Request) -> web.Response:
        _, bad = await self._check_signed(req)
        if bad:
            return bad
        self.calls.append("balance")
        return web.json_response([{"asset": "USDT", "balance": "10000", "crossUnPnl": "0"}])

    async def income(self, req: web.Request) -> web.Response:
        _, bad = await self._check_signed(req)
        if bad:
            return bad
        self.calls.append("income")
        return web.json_response([])

    async def position_risk(self, req: web.Request) -> web.Response:
        _, bad = await self._check_signed(req)
        if bad:
            return bad
        self.calls.append("positionRisk")
        return web.json_response([self._pos_row()])

    async def open_orders(self, req: web.Request) -> web.Response:
        _, bad = await self._check_signed(req)
        if bad:
            return bad
        self.calls.append("openOrders")
        return web.json_response([])  # MARKET orders fill at once here: nothing stays open

    async def listen_key_route(self, req: web.Request) -> web.Response:
        bad = self._check_key(req)
        if bad:
            return bad
        self.calls.append(f"listenKey:{req.method}")
        if req.method == "DELETE" and self.hang_delete:
            await self._stopping.wait()  # a venue that never answers: shutdown must not wait for it
        return web.json_response({"listenKey": self.listen_key} if req.method == "POST" else {})

    async def order(self, req: web.Request) -> web.Response:
        p, bad = await self._check_signed(req)
        if bad:
            return bad
        self.orders.append(p)
        side, qty = p.get("side"), Decimal(p.get("quantity", "0"))
        if p.get("type") != "MARKET" or side not in ("BUY", "SELL") or qty <= 0:
            return self._err(400, -1116, "Invalid orderType/side/quantity.")
        delta = qty if side == "BUY" else -qty
        if p.get("reduceOnly") == "true" and (self.position == 0 or (delta > 0) == (self.position > 0) or qty > abs(self.position)):
            return self._err(400, -2022, "ReduceOnly Order is rejected.")
        old, new = self.position, self.position + delta
        fill = self.price
        if new == 0:
            self.entry = 0.0
        elif old == 0 or (old > 0) != (new > 0):
            self.entry = fill
        elif (delta > 0) == (old > 0):
            self.entry = (float(abs(old)) * self.entry + float(qty) * fill) / float(abs(new))
        self.position = new
        oid, T = len(self.orders), now_ms()
        otu = {"e": "ORDER_TRADE_UPDATE", "E": T, "T": T, "o": {
            "s": SYMBOL, "c": p.get("newClientOrderId", ""), "S": side, "o": "MARKET", "q": str(qty), "x": "TRADE",
            "X": "FILLED", "i": oid, "l": str(qty), "z": str(qty), "L": f"{fill:.1f}", "T": T, "rp": "0", "R": p.get("reduceOnly") == "true"}}
        au = {"e": "ACCOUNT_UPDATE", "E": T, "T": T, "a": {"m": "ORDER", "B": [], "P": [
            {"s": SYMBOL, "pa": str(self.position), "ep": str(self.entry), "ps": "BOTH"}]}}
        for ws in list(self.user_ws):
            await ws.send_str(json.dumps(otu))
            await ws.send_str(json.dumps(au))
        return web.json_response({"orderId": oid, "clientOrderId": p.get("newClientOrderId"), "symbol": SYMBOL, "status": "NEW",
                                  "executedQty": "0", "origQty": str(qty), "type": "MARKET", "side": side, "updateTime": T})

    async def ws(self, req: web.Request) -> web.StreamResponse:
        stream = req.match_info["stream"]
        names = stream.split("/")
        market = {SYMBOL.lower() + "@bookTicker", SYMBOL.lower() + "@kline_1m"}
        if any(n.endswith("@bookTicker") for n in names):
            if not set(names) <= market:
                return web.Response(status=404)
            if time.monotonic() < self.market_blocked_until:
                return web.Response(status=503, text="market link down")
            group = self.market_ws
        elif stream == SYMBOL.lower() + "@depth@100ms":
            if time.monotonic() < self.market_blocked_until:
                return web.Response(status=503, text="market link down")
            group = self.depth_ws
        elif stream == self.listen_key:
            group = self.user_ws
        else:
            return web.Response(status=404)
        ws = web.WebSocketResponse(heartbeat=None)
        await ws.prepare(req)
        group.add(ws)
        if group is self.market_ws:
            await ws.send_str(json.dumps(self._book()))
        try:
            async for msg in ws:
                if msg.type == WSMsgType.ERROR:
                    break
        finally:
            group.discard(ws)
        return ws
