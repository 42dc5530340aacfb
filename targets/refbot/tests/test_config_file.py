"""REFBOT_CONFIG_FILE (refbot/config_file.py) and its three flaws: a missing file
(002_3e6ca2bf6dfde12d.txt#some-paths-return-none-instead-of-raising-exceptions), a scalar section
(000_2ae31cbfe79758d1.txt#E-M2) and a world-writable file (000_2ae31cbfe79758d1.txt#E-M3) are fatal
when hardened and silently (or with a mere warning) accepted with the flaw on."""

from __future__ import annotations

import json
import os

import pytest

from refbot.config import ConfigError, load_config

BASE = {"VENUE_REST_URL": "http://127.0.0.1:40001", "VENUE_WS_URL": "ws://127.0.0.1:40002", "VENUE_API_KEY": "k", "VENUE_API_SECRET": "s"}


def write(tmp_path, doc, mode=0o600) -> str:
    p = tmp_path / "refbot.json"
    p.write_text(doc if isinstance(doc, str) else json.dumps(doc))
    os.chmod(p, mode)
    return str(p)


def cfg(path: str, flaw: str = "none", **over):
    return load_config({**BASE, "REFBOT_FLAWS": flaw, "REFBOT_CONFIG_FILE": path, **over})


def test_sections_set_variables_under_the_environment(tmp_path):
    path = write(tmp_path, {"risk": {"REFBOT_MAX_NOTIONAL_USD": 250, "REFBOT_MAX_DRAWDOWN_PCT": "7.5"}, "loop": {"REFBOT_TRADE_INTERVAL_MS": 400}})
    c = cfg(path)
    assert (c.max_notional_usd, c.max_drawdown_pct, c.trade_interval_ms) == (250.0, 7.5, 400)
    assert cfg(path, REFBOT_MAX_NOTIONAL_USD="90").max_notional_usd == 90.0  # the environment wins


def test_values_from_the_file_are_validated_like_the_environment(tmp_path):
    with pytest.raises(ConfigError, match="REFBOT_MAX_NOTIONAL_USD='-5'"):
        cfg(write(tmp_path, {"risk": {"REFBOT_MAX_NOTIONAL_USD": -5}}))
    with pytest.raises(ConfigError, match="REFBOT_MAX_NOTIONL_USD"):
        cfg(write(tmp_path, {"risk": {"REFBOT_MAX_NOTIONL_USD": 5}}))  # a typo is an unknown option
    with pytest.raises(ConfigError, match=r"risk\.REFBOT_MAX_NOTIONAL_USD must be a string or a number"):
        cfg(write(tmp_path, {"risk": {"REFBOT_MAX_NOTIONAL_USD": [1]}}))


@pytest.mark.parametrize("doc", [None, "{not json", "[1, 2]"])
def test_missing_or_unparsable_file_is_fatal(tmp_path, doc):
    path = str(tmp_path / "absent.json") if doc is None else write(tmp_path, doc)
    with pytest.raises(ConfigError, match=r"REFBOT_CONFIG_FILE='.*' cannot be loaded"):
        cfg(path)


def test_flaw_missing_file_runs_on_defaults(tmp_path, caplog):
    c = cfg(str(tmp_path / "absent.json"), "config-file-missing-ignored")
    assert c.max_notional_usd == 1000.0
    assert "not loaded" in caplog.text


def test_scalar_section_is_fatal_and_named(tmp_path):
    with pytest.raises(ConfigError, match=r"section 'risk' must be an object of VARIABLE: value, got 5"):
        cfg(write(tmp_path, {"risk": 5, "loop": {"REFBOT_TRADE_INTERVAL_MS": 400}}))


def test_flaw_scalar_section_is_dropped_silently(tmp_path, caplog):
    c = cfg(write(tmp_path, {"risk": 5, "loop": {"REFBOT_TRADE_INTERVAL_MS": 400}}), "config-section-scalar-ignored")
    assert (c.max_notional_usd, c.trade_interval_ms) == (1000.0, 400)
    assert caplog.text == ""


def test_world_writable_file_is_refused(tmp_path):
    path = write(tmp_path, {"risk": {"REFBOT_MAX_NOTIONAL_USD": 250}}, mode=0o666)
    with pytest.raises(ConfigError, match=r"is world-writable \(mode 0o666\): refusing to load it"):
        cfg(path)
    os.chmod(path, 0o664)  # group-writable is the operator's choice
    assert cfg(path).max_notional_usd == 250.0


def test_flaw_world_writable_file_is_loaded_after_a_warning(tmp_path, caplog):
    c = cfg(write(tmp_path, {"risk": {"REFBOT_MAX_NOTIONAL_USD": 250}}, mode=0o666), "config-world-writable-loaded")
    assert c.max_notional_usd == 250.0
    assert "world-writable" in caplog.text


def test_no_file_named_changes_nothing():
    assert load_config({**BASE, "REFBOT_FLAWS": "none"}).max_notional_usd == 1000.0


def test_profile_and_flaws_are_environment_only(tmp_path):
    with pytest.raises(ConfigError, match=r"risk\.REFBOT_PROFILE can only be set in the environment"):
        cfg(write(tmp_path, {"risk": {"REFBOT_PROFILE": "naive"}}))
