"""refbot/candles.py: decisions use the live kline candle, or refuse; flaw kline-overlay-raw-interval
(003_a7371304fd1017c8.txt#ws-kline-overlay-uses-raw-interval-lookup-15) falls back to the REST candle."""

from __future__ import annotations

from refbot.candles import INTERVAL, MAX_AGE_S, LiveCandles, normalize

REST_ROW = [1_763_800_000_000, "60000.0", "60100.0", "59900.0", "60050.0", "12.5"]


class Clock:
    def __init__(self) -> None:
        self.t = 100.0

    def __call__(self) -> float:
        return self.t


def kline(close: str, interval: str = "1m", symbol: str = "BTCUSDT") -> dict:
    return {"e": "kline", "E": 1, "s": symbol, "k": {"t": 1_763_800_060_000, "T": 1_763_800_119_999, "s": symbol, "i": interval,
                                                      "o": "60000.0", "c": close, "h": "60200.0", "l": "59950.0", "x": False}}


def candles(raw: bool, clock: Clock) -> LiveCandles:
    return LiveCandles("BTCUSDT", raw, lambda: REST_ROW, clock)


def test_normalize_minutes_notation_to_stream_intervals():
    assert [normalize(x) for x in ("1", "15", "60", "240", "D", "1m", "4h")] == ["1m", "15m", "1h", "4h", "1d", "1m", "4h"]


def test_only_kline_events_of_the_symbol_are_taken():
    c = candles(False, Clock())
    assert not c.on_message({"e": "bookTicker", "s": "BTCUSDT", "b": "1", "a": "2"})
    assert c.on_message(kline("60150.0", symbol="ETHUSDT")) is False
    assert c.on_message({"stream": "btcusdt@kline_1m", "data": kline("60150.0")})
    assert c.live["1m"][0].close == 60150.0


def test_hardened_uses_the_live_candle_and_refuses_when_it_is_old_or_missing(caplog):
    clock = Clock()
    c = candles(False, clock)
    assert c.current(INTERVAL) is None  # nothing live yet: no REST fallback
    c.on_message(kline("60150.0"))
    got = c.current(INTERVAL)
    assert got is not None and got.source == "ws" and got.close == 60150.0 and got.interval == "1m"
    assert got.probe() == {"interval": "1m", "openTime": 1_763_800_060_000, "close": 60150.0, "source": "ws"}
    assert abs(got.range_pct() - 250 / 60150 * 100) < 1e-9
    clock.t += MAX_AGE_S + 0.1
    assert c.current(INTERVAL) is None
    assert sum("no fresh live 1m candle" in r.getMessage() for r in caplog.records) == 2  # once per episode


def test_flaw_raw_interval_never_finds_the_live_candle_and_uses_the_rest_one():
    clock = Clock()
    c = candles(True, clock)
    c.on_message(kline("60150.0"))
    got = c.current(INTERVAL)
    assert got is not None and got.source == "rest" and got.close == 60050.0 and got.open_time == REST_ROW[0]
    clock.t += 600
    assert c.current(INTERVAL).source == "rest"  # however old
