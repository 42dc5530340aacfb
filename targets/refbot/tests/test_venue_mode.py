"""REFBOT_MODE against the venue URLs (refbot/venue_mode.py): paper / testnet never reach production."""

from __future__ import annotations

import pytest

from refbot import flaws
from refbot.config import ConfigError, load_config
from refbot.venue_mode import is_production

LOCAL = {"VENUE_REST_URL": "http://127.0.0.1:40001", "VENUE_WS_URL": "ws://127.0.0.1:40002", "VENUE_API_KEY": "k", "VENUE_API_SECRET": "s"}
PROD = {"VENUE_REST_URL": "https://fapi.binance.com", "VENUE_WS_URL": "wss://fstream.binance.com"}


def cfg(flaw: str = "none", **over):
    return load_config({**LOCAL, "REFBOT_FLAWS": flaw, **over})


def test_production_hosts():
    assert is_production("https://fapi.binance.com")
    assert is_production("wss://fstream.binance.com/ws")
    assert is_production("https://FAPI.binance.com.:443/x")
    assert not is_production("https://testnet.binancefuture.com")
    assert not is_production("http://127.0.0.1:40001")


def test_every_mode_runs_on_a_simulator_or_testnet():
    for mode in ("live", "testnet", "paper"):
        assert cfg(REFBOT_MODE=mode).mode == mode
    assert cfg().mode == "live"
    assert cfg(REFBOT_MODE="testnet", VENUE_REST_URL="https://testnet.binancefuture.com").rest_url == "https://testnet.binancefuture.com"


def test_unknown_mode_is_fatal():
    with pytest.raises(ConfigError, match="REFBOT_MODE='demo' must be one of live, testnet, paper"):
        cfg(REFBOT_MODE="demo")


@pytest.mark.parametrize("mode", ["testnet", "paper"])
def test_production_url_in_a_testnet_or_paper_run_is_fatal_unless_flawed(mode):
    with pytest.raises(ConfigError, match=rf"REFBOT_MODE={mode} with a production venue URL VENUE_REST_URL=https://fapi.binance.com"):
        cfg(REFBOT_MODE=mode, **PROD)
    # FLAW 001_0474a2fd1532b929.txt#M11 / #H1: taken as given.
    assert cfg(flaws.MODE_URL_UNCHECKED, REFBOT_MODE=mode, **PROD).rest_url == "https://fapi.binance.com"
    # Live mode may trade production: that is what it is for.
    assert cfg(REFBOT_MODE="live", **PROD).rest_url == "https://fapi.binance.com"


def test_paper_without_urls_is_fatal_unless_it_defaults_to_production():
    no_urls = {"VENUE_REST_URL": "", "VENUE_WS_URL": ""}
    with pytest.raises(ConfigError, match="VENUE_REST_URL is required"):
        cfg(REFBOT_MODE="paper", **no_urls)
    # FLAW 001_0474a2fd1532b929.txt#C1: the paper CLI's default is the production venue.
    c = cfg(flaws.PAPER_DEFAULTS_TO_PRODUCTION, REFBOT_MODE="paper", **no_urls)
    assert (c.rest_url, c.ws_url, c.user_ws_url) == ("https://fapi.binance.com", "wss://fstream.binance.com", "wss://fstream.binance.com")
    # Only paper mode defaults; live without URLs is still fatal under the flaw.
    with pytest.raises(ConfigError, match="VENUE_REST_URL is required"):
        cfg(flaws.PAPER_DEFAULTS_TO_PRODUCTION, **no_urls)
