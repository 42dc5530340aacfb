"""Binance HMAC-SHA256 signing against the documented examples."""

from refbot.rest import sign, signed_query

# USD-M futures docs, "SIGNED Endpoint Examples for POST /fapi/v1/order".
FUT_SECRET = "2b5eb11e18796d12d88f13dc27dbbd02c2cc51ff7059765ed9821957d82bb4d9"
FUT_QUERY = "symbol=BTCUSDT&side=BUY&type=LIMIT&quantity=1&price=9000&timeInForce=GTC&recvWindow=5000&timestamp=1591702613943"
FUT_SIG = "3c661234138461fcc7a7d8746c6558c9842d4e10870d2ecbedf7777cad694af9"

# Spot docs, the classic LTCBTC example.
SPOT_SECRET = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j"
SPOT_QUERY = "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559"
SPOT_SIG = "c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71"


def test_sign_matches_futures_doc_example():
    assert sign(FUT_SECRET, FUT_QUERY) == FUT_SIG


def test_sign_matches_spot_doc_example():
    assert sign(SPOT_SECRET, SPOT_QUERY) == SPOT_SIG


def test_signed_query_appends_recvwindow_timestamp_then_signature():
    q = signed_query(
        [("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "LIMIT"), ("quantity", "1"), ("price", "9000"), ("timeInForce", "GTC")],
        FUT_SECRET,
        timestamp_ms=1591702613943,
    )
    assert q == FUT_QUERY + "&signature=" + FUT_SIG


def test_signed_query_encodes_and_formats_bools():
    q = signed_query([("reduceOnly", True), ("newClientOrderId", "rb-bot/1:x"), ("skip", None)], "s", 1)
    payload, sig = q.rsplit("&signature=", 1)
    assert payload == "reduceOnly=true&newClientOrderId=rb-bot%2F1%3Ax&recvWindow=5000&timestamp=1"
    assert sig == sign("s", payload)
