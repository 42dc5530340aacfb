"""PriceBook on market-WS disconnect: the 000_2ae31cbfe79758d1.txt#S-C2 flaw vs its fix."""

from refbot.prices import PriceBook


class Clock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def book(naive: bool):
    c = Clock()
    b = PriceBook(clear_on_disconnect=naive, clock=c)
    b.on_connect()
    b.update("BTCUSDT", 59999.0, 60001.0)
    return b, c


def test_mid_is_average_of_bid_and_ask():
    b, _ = book(naive=False)
    assert b.get_mid("BTCUSDT") == 60000.0
    q = b.quote("BTCUSDT")
    assert (q.bid, q.ask) == (59999.0, 60001.0)


def test_naive_clears_on_disconnect_and_falls_back_to_entry_price():
    b, c = book(naive=True)
    e = b.estimate("BTCUSDT", entry_price=50000.0, max_age_ms=1000)
    assert (e.price, e.source) == (60000.0, "mid")
    b.on_disconnect()
    assert b.get_mid("BTCUSDT") is None
    assert b.quote("BTCUSDT") is None
    e = b.estimate("BTCUSDT", entry_price=50000.0, max_age_ms=1000)
    assert (e.price, e.source, e.stale) == (50000.0, "entry-fallback", False)
    c.t += 30  # naive never looks at age
    assert b.estimate("BTCUSDT", 50000.0, 1000).source == "entry-fallback"


def test_naive_without_entry_price_has_no_estimate():
    b, _ = book(naive=True)
    b.on_disconnect()
    e = b.estimate("BTCUSDT", entry_price=0.0, max_age_ms=1000)
    assert e.price is None and e.source is None


def test_hardened_keeps_mid_marks_disconnect_and_ages():
    b, c = book(naive=False)
    c.t += 0.2
    b.on_disconnect()
    assert b.disconnected_at == c.t
    assert b.get_mid("BTCUSDT") == 60000.0  # kept, not cleared
    assert b.age_ms("BTCUSDT") == 200
    c.t += 0.5
    assert b.age_ms("BTCUSDT") == 700
    e = b.estimate("BTCUSDT", entry_price=50000.0, max_age_ms=1000)
    assert (e.price, e.source) == (60000.0, "mid")  # still within the allowed age
    c.t += 0.301
    assert b.get_mid_fresh("BTCUSDT", 1000) is None
    e = b.estimate("BTCUSDT", entry_price=50000.0, max_age_ms=1000)
    assert e.price is None and e.stale and e.age_ms == 1001
    assert e.source is None  # never the entry price


def test_hardened_age_counts_from_disconnect_even_with_recent_quote():
    b, c = book(naive=False)
    b.on_disconnect()
    c.t += 0.1
    b.update("BTCUSDT", 1.0, 3.0)  # a late frame after the disconnect mark
    c.t += 1.0
    assert b.age_ms("BTCUSDT") == 1100
    assert b.estimate("BTCUSDT", 0.0, 1000).stale


def test_hardened_reconnect_makes_prices_fresh_again():
    b, c = book(naive=False)
    b.on_disconnect()
    c.t += 5
    assert b.estimate("BTCUSDT", 0.0, 1000).price is None
    b.on_connect()
    b.update("BTCUSDT", 61999.0, 62001.0)
    e = b.estimate("BTCUSDT", 0.0, 1000)
    assert (e.price, e.source, e.age_ms) == (62000.0, "mid", 0)


def test_hardened_stale_without_disconnect():
    b, c = book(naive=False)
    c.t += 2
    e = b.estimate("BTCUSDT", 50000.0, 1000)
    assert e.price is None and e.stale and e.age_ms == 2000
