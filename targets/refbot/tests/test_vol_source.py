"""REFBOT_VOL_SOURCE (refbot/volsource.py, refbot/warmup.py): a typo is fatal unless flaw feature-source-falls-back."""

from __future__ import annotations

import pytest

from refbot import flaws
from refbot.config import ConfigError, load_config
from refbot.warmup import realized_vol

BASE = {"VENUE_REST_URL": "http://127.0.0.1:40001", "VENUE_WS_URL": "ws://127.0.0.1:40002", "VENUE_API_KEY": "k", "VENUE_API_SECRET": "s"}


def cfg(flaw: str = "none", **over):
    return load_config({**BASE, "REFBOT_FLAWS": flaw, **over})


def test_sources_are_read_and_default_to_close():
    assert cfg().vol_source == "close"
    assert cfg(REFBOT_VOL_SOURCE="HL2").vol_source == "hl2"


def test_a_typo_is_fatal_naming_it():
    with pytest.raises(ConfigError, match="REFBOT_VOL_SOURCE='closee' must be one of open, high, low, close, hl2"):
        cfg(REFBOT_VOL_SOURCE="closee")


def test_flaw_falls_back_to_close():
    # FLAW 003_a7371304fd1017c8.txt#invalid-feature-source-silently-falls-back-to-close
    assert cfg(flaws.FEATURE_SOURCE_FALLS_BACK, REFBOT_VOL_SOURCE="closee").vol_source == "close"


def test_volatility_follows_the_source():
    rows = [[0, "100", "102", "98", "101", "1"], [0, "101", "105", "99", "100", "1"], [0, "100", "101", "97", "103", "1"]]
    assert realized_vol(rows, "close") != realized_vol(rows, "hl2")
    assert realized_vol(rows, "open") == realized_vol([[0, 0, 0, 0, r[1]] for r in rows], "close")


def test_config_does_not_import_aiohttp():
    import subprocess
    import sys

    code = "import sys; import refbot.config; print('aiohttp' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "False"
