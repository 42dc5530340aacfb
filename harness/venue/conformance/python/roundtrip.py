"""Round trip of a real Python Binance USD-M client against the venue (driven by ../python.test.ts).

Usage: roundtrip.py connector|connector-hedge|ccxt
Environment: VENUE_REST_URL (http://127.0.0.1:<port>), VENUE_WS_URL (ws://127.0.0.1:<port>),
VENUE_API_KEY, VENUE_API_SECRET.

Prints exactly one JSON object on stdout: what the client saw at every step. Any exception is
reported as {"error": ...} with exit code 1, so the test shows the client's own message.
"""

import asyncio
import json
import os
import re
import sys
import traceback

REST = os.environ["VENUE_REST_URL"]
WS = os.environ["VENUE_WS_URL"]
KEY = os.environ["VENUE_API_KEY"]
SECRET = os.environ["VENUE_API_SECRET"]
LOOPBACK = re.compile(r"^(http|ws)://127\.0\.0\.1:\d+(/|$)")


def connector_round_trip():
    from binance.error import ClientError
    from binance.um_futures import UMFutures

    c = UMFutures(key=KEY, secret=SECRET, base_url=REST, timeout=5)
    out = {}
    out["time"] = c.time()["serverTime"]
    info = c.exchange_info()
    out["symbols"] = [s["symbol"] for s in info["symbols"]]
    out["book"] = c.book_ticker("BTCUSDT")
    out["balance"] = c.balance()
    out["account_wallet"] = c.account()["totalWalletBalance"]
    limit = c.new_order(symbol="BTCUSDT", side="BUY", type="LIMIT", timeInForce="GTC", quantity=0.01, price=60000, newClientOrderId="py-limit-1")
    out["limit"] = limit
    out["market"] = c.new_order(symbol="BTCUSDT", side="BUY", type="MARKET", quantity=0.02, newOrderRespType="RESULT")
    out["reduce"] = c.new_order(symbol="BTCUSDT", side="SELL", type="MARKET", quantity=0.005, reduceOnly="true", newOrderRespType="RESULT")
    out["open_one"] = c.get_open_orders(symbol="BTCUSDT", origClientOrderId="py-limit-1")
    out["open"] = c.get_orders(symbol="BTCUSDT")
    out["query"] = c.query_order(symbol="BTCUSDT", orderId=limit["orderId"])
    out["cancel"] = c.cancel_order(symbol="BTCUSDT", orderId=limit["orderId"])
    out["positions"] = c.get_position_risk(symbol="BTCUSDT")
    out["trades"] = c.get_account_trades(symbol="BTCUSDT")
    out["listen_key"] = c.new_listen_key()["listenKey"]
    out["renew"] = c.renew_listen_key(out["listen_key"])
    try:
        c.new_order(symbol="BTCUSDT", side="SELL", type="STOP_MARKET", quantity=0.01, stopPrice=60000)
        out["stop_error"] = None
    except ClientError as e:
        out["stop_error"] = {"status": e.status_code, "code": e.error_code, "msg": e.error_message}
    try:
        c.cancel_order(symbol="BTCUSDT", orderId=1)
        out["cancel_error"] = None
    except ClientError as e:
        out["cancel_error"] = {"status": e.status_code, "code": e.error_code, "msg": e.error_message}
    # Market history and account settings.
    out["klines"] = c.klines("BTCUSDT", "1m", limit=3)
    out["leverage"] = c.change_leverage(symbol="BTCUSDT", leverage=7)
    out["margin_type"] = []
    for margin_type in ("CROSSED", "ISOLATED"):
        try:
            out["margin_type"].append(c.change_margin_type(symbol="ETHUSDT", marginType=margin_type))
        except ClientError as e:
            out["margin_type"].append({"status": e.status_code, "code": e.error_code, "msg": e.error_message})
    out["position_mode"] = c.get_position_mode()
    out["multi_assets"] = c.get_multi_asset_mode()
    out["income"] = c.get_income_history(symbol="BTCUSDT")
    out["income_all"] = c.get_income_history()
    return out


def connector_hedge_round_trip():
    """Hedge mode: switch on, a LONG and a SHORT on one symbol, close each leg, switch off."""
    from binance.error import ClientError
    from binance.um_futures import UMFutures

    c = UMFutures(key=KEY, secret=SECRET, base_url=REST, timeout=5)

    def error(call):
        try:
            call()
            return None
        except ClientError as e:
            return {"status": e.status_code, "code": e.error_code, "msg": e.error_message}

    out = {}
    out["mode_on"] = c.change_position_mode(dualSidePosition="true")
    out["mode"] = c.get_position_mode()
    out["mode_again"] = error(lambda: c.change_position_mode(dualSidePosition="true"))
    out["no_side"] = error(lambda: c.new_order(symbol="BTCUSDT", side="BUY", type="MARKET", quantity=0.01))
    out["reduce_only"] = error(
        lambda: c.new_order(symbol="BTCUSDT", side="SELL", positionSide="LONG", type="MARKET", quantity=0.01, reduceOnly="true")
    )
    out["long"] = c.new_order(symbol="BTCUSDT", side="BUY", positionSide="LONG", type="MARKET", quantity=0.02, newOrderRespType="RESULT")
    out["short"] = c.new_order(symbol="BTCUSDT", side="SELL", positionSide="SHORT", type="MARKET", quantity=0.01, newOrderRespType="RESULT")
    out["positions"] = c.get_position_risk(symbol="BTCUSDT")
    out["account_positions"] = c.account()["positions"]
    out["mode_with_positions"] = error(lambda: c.change_position_mode(dualSidePosition="false"))
    out["close_long"] = c.new_order(symbol="BTCUSDT", side="SELL", positionSide="LONG", type="MARKET", quantity=0.02, newOrderRespType="RESULT")
    out["close_short"] = c.new_order(symbol="BTCUSDT", side="BUY", positionSide="SHORT", type="MARKET", quantity=0.01, newOrderRespType="RESULT")
    out["close_flat"] = error(lambda: c.new_order(symbol="BTCUSDT", side="SELL", positionSide="LONG", type="MARKET", quantity=0.01))
    out["positions_after"] = c.get_position_risk(symbol="BTCUSDT")
    out["trades"] = c.get_account_trades(symbol="BTCUSDT")
    out["mode_off"] = c.change_position_mode(dualSidePosition="false")
    out["mode_final"] = c.get_position_mode()
    return out


def rewrite(node):
    """Every absolute URL ccxt could use, pointed at the venue's loopback origin."""
    if isinstance(node, str):
        m = re.match(r"^(https?|wss?)://[^/]+(.*)$", node)
        if not m:
            return node
        return (REST if m.group(1).startswith("http") else WS) + m.group(2)
    if isinstance(node, list):
        return [rewrite(n) for n in node]
    if isinstance(node, dict):
        return {k: rewrite(v) for k, v in node.items()}
    return node


async def ccxt_round_trip():
    import ccxt.pro as ccxtpro

    base = ccxtpro.binanceusdm()
    urls = {k: rewrite(base.urls[k]) for k in ("api", "test", "demo")}
    await base.close()
    ex = ccxtpro.binanceusdm(
        {
            "apiKey": KEY,
            "secret": SECRET,
            "enableRateLimit": False,
            "timeout": 5000,
            "urls": urls,
            "options": {"fetchMarkets": {"types": ["linear"]}, "fetchCurrencies": False, "fetchMargins": False},
        }
    )
    requests = []
    fetch_raw = ex.fetch

    async def guarded_fetch(url, method="GET", headers=None, body=None):
        if not LOOPBACK.match(url):
            raise RuntimeError("ccxt tried a non-loopback URL: " + url)
        requests.append(method + " " + re.sub(r"^[a-z]+://[^/]+", "", url).split("?")[0])
        return await fetch_raw(url, method, headers, body)

    ex.fetch = guarded_fetch
    out = {}
    try:
        sym = "BTC/USDT:USDT"
        markets = await ex.load_markets()
        out["markets"] = sorted(markets.keys())
        out["precision"] = markets[sym]["precision"]
        bal = await ex.fetch_balance()
        out["usdt"] = bal["USDT"]
        ticker = await ex.watch_ticker(sym)
        out["ticker_last"] = ticker["last"]
        watching = asyncio.ensure_future(ex.watch_orders(sym))
        await asyncio.sleep(0.3)
        limit = await ex.create_order(sym, "limit", "buy", 0.01, 60000)
        market = await ex.create_order(sym, "market", "buy", 0.02)
        reduce = await ex.create_order(sym, "market", "sell", 0.005, None, {"reduceOnly": True})
        out["orders"] = [{k: o[k] for k in ("id", "status", "type", "side", "amount", "filled", "reduceOnly")} for o in (limit, market, reduce)]
        positions = await ex.fetch_positions([sym])
        out["positions"] = [{k: p[k] for k in ("symbol", "side", "contracts", "entryPrice")} for p in positions]
        out["open"] = [o["id"] for o in await ex.fetch_open_orders(sym)]
        out["cancel"] = (await ex.cancel_order(limit["id"], sym))["status"]
        trades = await ex.fetch_my_trades(sym)
        out["trades"] = [{"order": t["order"], "side": t["side"], "amount": t["amount"], "fee": t["fee"]["cost"]} for t in trades]
        await asyncio.wait_for(watching, 5)
        # The stream delivered while we were busy with REST calls; what ccxt aggregated from it is
        # its order cache (exchange.orders). Give the last events a moment to arrive.
        deadline = asyncio.get_event_loop().time() + 5
        while not any(o["id"] == reduce["id"] and o["status"] == "closed" for o in ex.orders):
            if asyncio.get_event_loop().time() > deadline:
                raise TimeoutError("watch_orders never saw the reduce-only order closed")
            await asyncio.sleep(0.05)
        seen = list(ex.orders)
        out["watched"] = sorted({o["id"]: o["status"] for o in seen}.items())
        out["requests"] = requests
    finally:
        await ex.close()
    return out


def main():
    which = sys.argv[1] if len(sys.argv) > 1 else ""
    try:
        if which == "connector":
            result = connector_round_trip()
        elif which == "connector-hedge":
            result = connector_hedge_round_trip()
        elif which == "ccxt":
            result = asyncio.run(ccxt_round_trip())
        else:
            raise SystemExit("usage: roundtrip.py connector|connector-hedge|ccxt")
        print(json.dumps(result))
    except Exception as e:  # noqa: BLE001 - reported to the test as JSON
        print(json.dumps({"error": repr(e), "trace": traceback.format_exc()}))
        sys.exit(1)


if __name__ == "__main__":
    main()
