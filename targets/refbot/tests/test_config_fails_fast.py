"""config-fails-fast flaws: invalid values, an unbounded max price age, an unknown symbol.

Hardened refuses each at start-up (exit 2 / exit 1 with a message naming the bad input); each
flaw makes the bot accept it silently (a default, a week-long bound, a half-initialised process).
"""

import os
import subprocess
import sys

import pytest

from refbot import flaws
from refbot.config import ConfigError, load_config
from refbot.config_flaws import MAX_PRICE_AGE_BOUND_MS, WEEK_MS
from refbot.instrument import InstrumentError, instrument_filters

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BASE = {"VENUE_REST_URL": "http://127.0.0.1:40001", "VENUE_WS_URL": "ws://127.0.0.1:40002", "VENUE_API_KEY": "k", "VENUE_API_SECRET": "s"}
INFO = {
    "symbols": [
        {
            "symbol": "BTCUSDT",
            "filters": [
                {"filterType": "PRICE_FILTER", "tickSize": "0.10"},
                {"filterType": "LOT_SIZE", "stepSize": "0.001", "minQty": "0.001"},
                {"filterType": "MIN_NOTIONAL", "notional": "100"},
            ],
        }
    ]
}


def cfg(flaw: str = "none", **over):
    return load_config({**BASE, "REFBOT_FLAWS": flaw, **over})


@pytest.mark.parametrize(
    "name,value",
    [
        ("REFBOT_MAX_NOTIONAL_USD", "1000usd"),
        ("REFBOT_MAX_NOTIONAL_USD", "nan"),
        ("REFBOT_MAX_NOTIONAL_USD", "-5"),
        ("REFBOT_TRADE_INTERVAL_MS", "1s"),
        ("REFBOT_MAX_PRICE_AGE_MS", "0"),
    ],
)
def test_invalid_number_is_fatal_unless_the_flaw_falls_back_to_the_default(name, value, caplog):
    with pytest.raises(ConfigError, match=name):
        cfg(**{name: value})
    c = cfg(flaws.INVALID_CONFIG_FALLS_BACK_TO_DEFAULT, **{name: value})
    # FLAW 002_3e6ca2bf6dfde12d.txt#R5: the default silently replaces the typo; only a log line says so.
    assert (c.max_notional_usd, c.trade_interval_ms, c.max_price_age_ms) == (1000.0, 1000, 1000)
    assert any(name in r.getMessage() and "using the default" in r.getMessage() for r in caplog.records)


def test_the_flaw_falls_back_only_for_invalid_values():
    c = cfg(flaws.INVALID_CONFIG_FALLS_BACK_TO_DEFAULT, REFBOT_MAX_NOTIONAL_USD="250")
    assert c.max_notional_usd == 250.0
    with pytest.raises(ConfigError, match="VENUE_API_KEY"):  # other checks stay fatal
        load_config({**BASE, "VENUE_API_KEY": "", "REFBOT_FLAWS": flaws.INVALID_CONFIG_FALLS_BACK_TO_DEFAULT})


def test_max_price_age_is_bounded_to_an_hour_unless_the_flaw_allows_a_week():
    assert cfg(REFBOT_MAX_PRICE_AGE_MS=str(MAX_PRICE_AGE_BOUND_MS)).max_price_age_ms == MAX_PRICE_AGE_BOUND_MS
    with pytest.raises(ConfigError, match="REFBOT_MAX_PRICE_AGE_MS='86400000' must be between 1 and 3.6e\\+06"):
        cfg(REFBOT_MAX_PRICE_AGE_MS="86400000")
    # FLAW 000_2ae31cbfe79758d1.txt#E-H9: a day-old (even week-old) price passes validation.
    assert cfg(flaws.WEEK_LONG_PRICE_AGE_BOUND, REFBOT_MAX_PRICE_AGE_MS="86400000").max_price_age_ms == 86_400_000
    assert cfg(flaws.WEEK_LONG_PRICE_AGE_BOUND, REFBOT_MAX_PRICE_AGE_MS=str(WEEK_MS)).max_price_age_ms == WEEK_MS
    with pytest.raises(ConfigError):
        cfg(flaws.WEEK_LONG_PRICE_AGE_BOUND, REFBOT_MAX_PRICE_AGE_MS=str(WEEK_MS + 1))


def test_unknown_symbol_is_fatal_unless_the_flaw_returns_early():
    hardened = cfg().flags
    assert instrument_filters(INFO, "BTCUSDT", hardened).step_size == instrument_filters(INFO, "BTCUSDT", cfg(flaws.UNKNOWN_SYMBOL_KEEPS_RUNNING).flags).step_size
    with pytest.raises(InstrumentError, match="SYMBOLS=NOPEUSDT: symbol NOPEUSDT not in exchangeInfo"):
        instrument_filters(INFO, "NOPEUSDT", hardened)
    # FLAW 001_0474a2fd1532b929.txt#C3: no error, no flag; start-up just stops.
    assert instrument_filters(INFO, "NOPEUSDT", cfg(flaws.UNKNOWN_SYMBOL_KEEPS_RUNNING).flags) is None


def test_cli_exits_2_naming_the_bad_variable():
    env = {**os.environ, **BASE, "REFBOT_MAX_NOTIONAL_USD": "1000usd", "REFBOT_FLAWS": "none"}
    r = subprocess.run([sys.executable, "-m", "refbot"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=30)
    assert r.returncode == 2
    assert "REFBOT_MAX_NOTIONAL_USD='1000usd' is not a valid number" in r.stderr
    assert r.stdout == ""
