"""no-secret-leak (refbot/reqlog.py): the DEBUG request log never shows the API key.

Flaw debug-log-leaks-api-key (001_0474a2fd1532b929.txt#M10): headers are logged verbatim.
"""

from __future__ import annotations

import asyncio
import logging

import pytest

from refbot import flaws
from refbot.config import ConfigError, load_config
from refbot.rest import RestClient

ENV = {"VENUE_REST_URL": "http://127.0.0.1:1", "VENUE_WS_URL": "ws://127.0.0.1:1", "VENUE_API_KEY": "KeyAbc123456", "VENUE_API_SECRET": "sec-xyz-987"}


class FakeResp:
    status = 200

    async def text(self):
        return "[]"

    async def __aenter__(self):
        return self

    async def __aexit__(self, *a):
        return False


class FakeSession:
    def request(self, method, url, headers=None, timeout=None):
        return FakeResp()


def logged(flaw: str, caplog, level: int = logging.DEBUG) -> str:
    cfg = load_config({**ENV, "REFBOT_FLAWS": flaw, "REFBOT_LOG_LEVEL": "debug"})
    rest = RestClient(FakeSession(), cfg.rest_url, cfg.api_key, cfg.api_secret)  # type: ignore[arg-type]
    rest.debug_unredacted = cfg.flags.has(flaws.DEBUG_LOG_LEAKS_API_KEY)
    with caplog.at_level(level, logger="refbot.rest.debug"):
        asyncio.run(rest.request("GET", "/fapi/v1/openOrders", [("symbol", "BTCUSDT")], signed=True))
    return caplog.text


def test_log_level_option_is_validated():
    assert load_config(ENV).log_level == "info"
    assert load_config({**ENV, "REFBOT_LOG_LEVEL": "DEBUG"}).log_level == "debug"
    with pytest.raises(ConfigError, match="REFBOT_LOG_LEVEL"):
        load_config({**ENV, "REFBOT_LOG_LEVEL": "trace"})


def test_hardened_debug_log_redacts_the_key_and_signature(caplog):
    text = logged("none", caplog)
    assert "request GET http://127.0.0.1:1/fapi/v1/openOrders?symbol=BTCUSDT" in text
    assert "KeyAbc123456" not in text and "sec-xyz-987" not in text
    assert "'X-MBX-APIKEY': '<redacted>'" in text and "signature=<redacted>" in text


def test_flaw_debug_log_leaks_the_api_key(caplog):
    text = logged(flaws.DEBUG_LOG_LEAKS_API_KEY, caplog)
    # FLAW 001_0474a2fd1532b929.txt#M10: the key in clear in the DEBUG line.
    assert "'X-MBX-APIKEY': 'KeyAbc123456'" in text


def test_flaw_is_dormant_at_info(caplog):
    assert logged(flaws.DEBUG_LOG_LEAKS_API_KEY, caplog, level=logging.INFO) == ""
