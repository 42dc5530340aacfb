"""Environment validation: bad values raise (and exit 2 from the CLI)."""

import os
import subprocess
import sys

import pytest

from refbot.config import (
    FLAW_BLIND_RETRY_ON_TIMEOUT,
    FLAW_CLEAR_PRICES_ON_DISCONNECT,
    FLAW_RESET_CLOCK_OFFSET_ON_ERROR,
    KNOWN_FLAWS,
    ConfigError,
    load_config,
)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

BASE = {
    "VENUE_REST_URL": "http://127.0.0.1:40001/",
    "VENUE_WS_URL": "ws://127.0.0.1:40002",
    "VENUE_API_KEY": "k",
    "VENUE_API_SECRET": "s",
}


def cfg(**over):
    env = dict(BASE)
    env.update(over)
    return load_config(env)


def test_defaults():
    c = cfg()
    assert c.rest_url == "http://127.0.0.1:40001"  # trailing slash trimmed
    assert c.user_ws_url == c.ws_url == "ws://127.0.0.1:40002"  # user link falls back
    assert c.symbol == "BTCUSDT" and c.instance_id == "bot-1"
    assert c.flags.profile == "hardened" and c.flags.flaws == frozenset()
    assert (c.max_notional_usd, c.trade_interval_ms, c.max_price_age_ms, c.listenkey_keepalive_s) == (1000.0, 1000, 1000, 1800)
    assert c.order_timeout_ms == 2000


def test_options_and_symbols():
    c = cfg(SYMBOLS="ethusdt, BTCUSDT", VENUE_USER_WS_URL="ws://127.0.0.1:40003", REFBOT_MAX_NOTIONAL_USD="250.5",
            REFBOT_TRADE_INTERVAL_MS="200", REFBOT_MAX_PRICE_AGE_MS="500", REFBOT_LISTENKEY_KEEPALIVE_S="60")
    assert c.symbols == ("ETHUSDT", "BTCUSDT") and c.symbol == "ETHUSDT"
    assert c.user_ws_url == "ws://127.0.0.1:40003"
    assert cfg(REFBOT_ORDER_TIMEOUT_MS="750").order_timeout_ms == 750
    assert (c.max_notional_usd, c.trade_interval_ms, c.max_price_age_ms, c.listenkey_keepalive_s) == (250.5, 200, 500, 60)


def test_profiles_and_flaws():
    assert cfg(REFBOT_PROFILE="naive").flags.clear_prices_on_disconnect
    assert not cfg(REFBOT_PROFILE="hardened").flags.clear_prices_on_disconnect
    assert cfg(REFBOT_PROFILE="naive", REFBOT_FLAWS="").flags.flaws == KNOWN_FLAWS
    assert KNOWN_FLAWS >= {FLAW_CLEAR_PRICES_ON_DISCONNECT, FLAW_BLIND_RETRY_ON_TIMEOUT, FLAW_RESET_CLOCK_OFFSET_ON_ERROR}
    assert cfg(REFBOT_PROFILE="naive").flags.blind_retry_on_timeout
    assert not cfg(REFBOT_PROFILE="hardened").flags.blind_retry_on_timeout
    only_retry = cfg(REFBOT_PROFILE="hardened", REFBOT_FLAWS=FLAW_BLIND_RETRY_ON_TIMEOUT).flags
    assert only_retry.blind_retry_on_timeout and not only_retry.clear_prices_on_disconnect
    assert cfg(REFBOT_PROFILE="naive", REFBOT_FLAWS="none").flags.flaws == frozenset()
    assert cfg(REFBOT_PROFILE="hardened", REFBOT_FLAWS=FLAW_CLEAR_PRICES_ON_DISCONNECT).flags.clear_prices_on_disconnect
    assert cfg(REFBOT_PROFILE="hardened").flags.resync_position_on_user_reconnect
    assert not cfg(REFBOT_PROFILE="naive").flags.resync_position_on_user_reconnect


@pytest.mark.parametrize(
    "over,needle",
    [
        ({"REFBOT_PROFILE": "yolo"}, "REFBOT_PROFILE"),
        ({"REFBOT_FLAWS": "no-such-flaw"}, "REFBOT_FLAWS"),
        ({"REFBOT_MAX_NOTIONAL_USD": "abc"}, "REFBOT_MAX_NOTIONAL_USD"),
        ({"REFBOT_MAX_NOTIONAL_USD": "-5"}, "REFBOT_MAX_NOTIONAL_USD"),
        ({"REFBOT_MAX_NOTIONAL_USD": "nan"}, "REFBOT_MAX_NOTIONAL_USD"),
        ({"REFBOT_TRADE_INTERVAL_MS": "1.5"}, "REFBOT_TRADE_INTERVAL_MS"),
        ({"REFBOT_TRADE_INTERVAL_MS": "0"}, "REFBOT_TRADE_INTERVAL_MS"),
        ({"REFBOT_MAX_PRICE_AGE_MS": "0"}, "REFBOT_MAX_PRICE_AGE_MS"),
        ({"REFBOT_LISTENKEY_KEEPALIVE_S": "x"}, "REFBOT_LISTENKEY_KEEPALIVE_S"),
        ({"REFBOT_ORDER_TIMEOUT_MS": "5"}, "REFBOT_ORDER_TIMEOUT_MS"),
        ({"VENUE_REST_URL": "127.0.0.1:40001"}, "VENUE_REST_URL"),
        ({"VENUE_WS_URL": "http://127.0.0.1:40002"}, "VENUE_WS_URL"),
        ({"VENUE_API_KEY": ""}, "VENUE_API_KEY"),
        ({"SYMBOLS": "BTC-USDT"}, "SYMBOLS"),
        ({"BOT_INSTANCE_ID": "bot 1"}, "BOT_INSTANCE_ID"),
        ({"BOT_INSTANCE_ID": "x" * 21}, "BOT_INSTANCE_ID"),
        ({"STATE_DIR": "/nonexistent/refbot-state"}, "STATE_DIR"),
    ],
)
def test_invalid_values_raise(over, needle):
    with pytest.raises(ConfigError, match=needle):
        cfg(**over)


def test_missing_required():
    with pytest.raises(ConfigError) as e:
        load_config({})
    for name in ("VENUE_REST_URL", "VENUE_WS_URL", "VENUE_API_KEY", "VENUE_API_SECRET"):
        assert name in str(e.value)


def test_cli_exits_2_with_message_on_stderr():
    env = {"PATH": os.environ.get("PATH", ""), **BASE, "REFBOT_MAX_PRICE_AGE_MS": "soon"}
    r = subprocess.run([sys.executable, "-m", "refbot"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=30)
    assert r.returncode == 2
    assert r.stdout == ""
    assert "REFBOT_MAX_PRICE_AGE_MS" in r.stderr and "invalid configuration" in r.stderr


def test_manifest_lists_exactly_the_known_flaws():
    # faultline.json's "flaws" section drives the mutation matrix: a flaw missing there is never tested,
    # one missing here would be rejected at startup.
    import json
    from pathlib import Path

    manifest = json.loads((Path(__file__).resolve().parents[1] / "faultline.json").read_text())
    assert set(manifest["flaws"]["list"]) == set(KNOWN_FLAWS)
