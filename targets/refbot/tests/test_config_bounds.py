"""Range validation of numeric options (refbot/config_bounds.py) and the flaws that weaken it.

nan-config-accepted (000_2ae31cbfe79758d1.txt#E-M4), out-of-range-config-clamped
(000_2ae31cbfe79758d1.txt#E-M7), risk-override-unchecked
(002_3e6ca2bf6dfde12d.txt#env-var-overrides-production-profile): hardened refuses each bad value
at start-up naming it; each flaw lets the bot start on it silently.
"""

import logging
import math
import os
import subprocess
import sys

import pytest

from refbot import flaws
from refbot.config import ConfigError, load_config
from refbot.config_bounds import RISK_LIMITS, check_bounds

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BASE = {"VENUE_REST_URL": "http://127.0.0.1:40001", "VENUE_WS_URL": "ws://127.0.0.1:40002", "VENUE_API_KEY": "k", "VENUE_API_SECRET": "s"}


def cfg(flaw: str = "none", **over):
    return load_config({**BASE, "REFBOT_FLAWS": flaw, **over})


@pytest.mark.parametrize("value", ["nan", "NaN", "inf", "-inf"])
def test_hardened_rejects_non_finite_values(value):
    with pytest.raises(ConfigError, match=rf"REFBOT_MAX_DAILY_LOSS_USD='{value}' must be finite"):
        cfg(REFBOT_MAX_DAILY_LOSS_USD=value)


def test_flaw_nan_config_accepted_takes_nan_and_the_limit_never_trips():
    c = cfg(flaws.NAN_CONFIG_ACCEPTED, REFBOT_MAX_DAILY_LOSS_USD="nan")
    assert math.isnan(c.max_daily_loss_usd)
    # FLAW 000_2ae31cbfe79758d1.txt#E-M4: a NaN limit compares false with everything.
    assert not (-1e9 < -c.max_daily_loss_usd)
    # inf is still out of range, and a finite value is untouched: the flaw is NaN-specific.
    with pytest.raises(ConfigError, match="REFBOT_MAX_DAILY_LOSS_USD='inf'"):
        cfg(flaws.NAN_CONFIG_ACCEPTED, REFBOT_MAX_DAILY_LOSS_USD="inf")
    assert cfg(flaws.NAN_CONFIG_ACCEPTED, REFBOT_MAX_DAILY_LOSS_USD="250").max_daily_loss_usd == 250.0


def test_hardened_rejects_out_of_range_values():
    with pytest.raises(ConfigError, match=r"REFBOT_ORDER_TIMEOUT_MS='120000' must be between 100 and 60000"):
        cfg(REFBOT_ORDER_TIMEOUT_MS="120000")
    with pytest.raises(ConfigError, match=r"REFBOT_MAX_DRAWDOWN_PCT='400' must be between 0.01 and 100"):
        cfg(REFBOT_MAX_DRAWDOWN_PCT="400")


def test_flaw_out_of_range_config_clamped_silently(caplog):
    caplog.set_level(logging.DEBUG, logger="refbot")
    c = cfg(flaws.OUT_OF_RANGE_CONFIG_CLAMPED, REFBOT_ORDER_TIMEOUT_MS="120000", REFBOT_TRADE_INTERVAL_MS="10")
    # FLAW 000_2ae31cbfe79758d1.txt#E-M7: clamped into the bounds, not a word about it.
    assert (c.order_timeout_ms, c.trade_interval_ms) == (60_000, 50)
    assert not any("120000" in r.getMessage() for r in caplog.records)
    # In-range values are untouched; NaN is still refused (not a range problem).
    assert cfg(flaws.OUT_OF_RANGE_CONFIG_CLAMPED, REFBOT_ORDER_TIMEOUT_MS="3000").order_timeout_ms == 3000
    with pytest.raises(ConfigError, match="must be finite"):
        cfg(flaws.OUT_OF_RANGE_CONFIG_CLAMPED, REFBOT_MAX_DRAWDOWN_PCT="nan")


def test_flaw_risk_override_unchecked_applies_risk_limits_as_given():
    c = cfg(flaws.RISK_OVERRIDE_UNCHECKED, REFBOT_MAX_DRAWDOWN_PCT="400", REFBOT_MAX_DAILY_LOSS_USD="-5")
    # FLAW 002_3e6ca2bf6dfde12d.txt#env-var-overrides-production-profile: a 400 % drawdown limit never trips.
    assert (c.max_drawdown_pct, c.max_daily_loss_usd) == (400.0, -5.0)
    # Only risk limits: other options are still range-checked.
    with pytest.raises(ConfigError, match="REFBOT_ORDER_TIMEOUT_MS"):
        cfg(flaws.RISK_OVERRIDE_UNCHECKED, REFBOT_ORDER_TIMEOUT_MS="120000")
    assert "REFBOT_ORDER_TIMEOUT_MS" not in RISK_LIMITS


def test_check_bounds_without_flaws_passes_in_range_values_as_they_are():
    assert check_bounds("X", "5", 5, 1, 10, frozenset()) == (5, None)
    assert check_bounds("X", "1", 1.0, 1, 10, frozenset()) == (1.0, None)
    assert check_bounds("X", "11", 11, 1, 10, frozenset())[1] == "X='11' must be between 1 and 10"


@pytest.mark.parametrize(
    "env,flaw",
    [
        ({"REFBOT_MAX_DAILY_LOSS_USD": "nan"}, "nan-config-accepted"),
        ({"REFBOT_ORDER_TIMEOUT_MS": "120000"}, "out-of-range-config-clamped"),
        ({"REFBOT_MAX_DRAWDOWN_PCT": "400"}, "risk-override-unchecked"),
    ],
)
def test_process_exits_2_naming_the_value_unless_the_flaw_accepts_it(env, flaw):
    """Hardened __main__ exits 2 with the variable on stderr before any network I/O."""
    run_env = {**os.environ, **BASE, "REFBOT_PROFILE": "hardened", **env}
    p = subprocess.run([sys.executable, "-m", "refbot"], cwd=ROOT, env=run_env, capture_output=True, text=True, timeout=20)
    assert p.returncode == 2
    name = next(iter(env))
    assert name in p.stderr
    # With the flaw the same environment loads without error.
    load_config({**BASE, "REFBOT_FLAWS": flaw, **env})
