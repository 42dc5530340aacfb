"""REFBOT_CONTROL_HOST (refbot/control_bind.py): the plain-HTTP control API binds loopback only
(000_2ae31cbfe79758d1.txt#T-M7, 001_0474a2fd1532b929.txt#no-runtime-validation-preventing-0-0-0-0);
flaw control-host-unchecked binds whatever is given."""

from __future__ import annotations

import asyncio
import io

import pytest

from refbot import probes
from refbot.config import ConfigError, load_config
from refbot.control import ControlApi

BASE = {"VENUE_REST_URL": "http://127.0.0.1:40001", "VENUE_WS_URL": "ws://127.0.0.1:40002", "VENUE_API_KEY": "k", "VENUE_API_SECRET": "s"}


@pytest.fixture(autouse=True)
def quiet_probes():
    probes.set_output(io.StringIO())


def cfg(flaw: str = "none", **over):
    return load_config({**BASE, "REFBOT_FLAWS": flaw, **over})


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "10.1.2.3", "example.org"])
def test_non_loopback_bind_is_fatal(host):
    with pytest.raises(ConfigError, match=rf"REFBOT_CONTROL_HOST='{host}' must be a loopback address .*plaintext"):
        cfg(REFBOT_CONTROL_HOST=host)


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "::1", "localhost"])
def test_loopback_binds_are_accepted(host):
    assert cfg(REFBOT_CONTROL_HOST=host).control_host == host


def test_default_is_loopback():
    assert cfg().control_host == "127.0.0.1"


def test_flaw_binds_the_wildcard_as_given():
    c = cfg("control-host-unchecked", REFBOT_CONTROL_HOST="0.0.0.0")
    assert c.control_host == "0.0.0.0"

    async def bound() -> tuple[str, str]:
        api = ControlApi(c, halt=lambda _r: None, status=lambda: {})
        try:
            url = await api.start()
            site_host = api.runner.sites.pop().name if api.runner else ""
            return url, site_host
        finally:
            await api.close()

    url, site = asyncio.run(bound())
    assert url.startswith("http://127.0.0.1:")  # a wildcard bind is reached on loopback
    assert site.startswith("http://0.0.0.0:")
