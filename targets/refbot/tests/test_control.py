"""Control API (refbot/control.py): auth, rate limit, body limit, generic errors, loopback bind.

Flaws: control-no-rate-limit (000_2ae31cbfe79758d1.txt#T-H4), control-no-body-limit
(000_2ae31cbfe79758d1.txt#T-M5), control-error-leaks-internals
(001_0474a2fd1532b929.txt#exception-detail-leaks-internals-in-500-responses, 000_2ae31cbfe79758d1.txt#X-L2).
"""

from __future__ import annotations

import asyncio
import io
import json
import os
import stat

import aiohttp
import pytest

from refbot import flaws, probes
from refbot.config import ConfigError, load_config
from refbot.control import CONTROL_FILE, MAX_BODY_BYTES, TokenBucket, start_control
from refbot.state import AccountState

ENV = {"VENUE_REST_URL": "http://127.0.0.1:1", "VENUE_WS_URL": "ws://127.0.0.1:1", "VENUE_API_KEY": "apikey-0123456789abcdef", "VENUE_API_SECRET": "s"}
TOKEN = "t" * 24


class FakeKillSwitch:
    def __init__(self) -> None:
        self.reason: str | None = None
        self.calls: list[str] = []

    @property
    def halted(self) -> bool:
        return self.reason is not None

    def halt(self, reason: str) -> None:
        self.calls.append(reason)
        self.reason = reason

    operator_halt = halt  # what the control API calls (refbot/killswitch.py)


def run(coro):
    return asyncio.run(coro)


async def with_api(tmp_path, flaw_list: str, fn, **env):
    out = io.StringIO()
    probes.set_output(out)
    cfg = load_config({**ENV, "STATE_DIR": str(tmp_path), "REFBOT_CONTROL_TOKEN": TOKEN, "REFBOT_FLAWS": flaw_list, **env})
    ks = FakeKillSwitch()
    api = await start_control(cfg, ks, AccountState(cfg.symbol))
    try:
        async with aiohttp.ClientSession() as s:
            return await fn(s, api.url, ks, out.getvalue())
    finally:
        await api.close()


def auth(token: str = TOKEN) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_config_validates_control_options():
    cfg = load_config(ENV)
    assert cfg.control_port == 0 and cfg.control_rate_per_s == 10.0 and len(cfg.control_token) >= 16
    assert load_config(ENV).control_token != cfg.control_token  # generated per run
    for bad in ({"REFBOT_CONTROL_TOKEN": "short"}, {"REFBOT_CONTROL_PORT": "70000"}, {"REFBOT_CONTROL_RATE_PER_S": "0"}):
        with pytest.raises(ConfigError):
            load_config({**ENV, **bad})


def test_probe_file_loopback_and_auth(tmp_path):
    async def fn(s, url, ks, out):
        probe = json.loads(out.strip().splitlines()[-1])
        assert probe == {"probe": "control", "url": url}
        assert url.startswith("http://127.0.0.1:")
        assert TOKEN not in out
        path = tmp_path / CONTROL_FILE
        assert json.loads(path.read_text()) == {"url": url, "token": TOKEN}
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
        for headers in ({}, auth("wrong-token-0123456789")):
            async with s.post(url + "/halt", json={"reason": "x"}, headers=headers) as r:
                assert r.status == 401
                assert await r.json() == {"error": "unauthorized"}
        assert ks.calls == []
        async with s.get(url + "/status", headers=auth()) as r:
            assert r.status == 200 and (await r.json())["halted"] is False
        async with s.post(url + "/halt", json={"reason": "operator"}, headers=auth()) as r:
            assert r.status == 200
        assert ks.calls == ["control-api"]

    run(with_api(tmp_path, "none", fn))


async def burst(s, url, n):
    statuses = []
    for _ in range(n):
        async with s.get(url + "/status", headers=auth()) as r:
            statuses.append((r.status, r.headers.get("Retry-After")))
    return statuses


def test_hardened_rate_limits_a_burst(tmp_path):
    async def fn(s, url, ks, out):
        got = await burst(s, url, 25)
        assert [st for st, _ in got[:10]] == [200] * 10
        assert {st for st, _ in got[10:]} == {429}
        assert all(ra is not None and int(ra) >= 1 for _, ra in got[10:])

    run(with_api(tmp_path, "none", fn))


def test_flaw_no_rate_limit_serves_the_whole_burst(tmp_path):
    async def fn(s, url, ks, out):
        assert {st for st, _ in await burst(s, url, 25)} == {200}

    run(with_api(tmp_path, flaws.CONTROL_NO_RATE_LIMIT, fn))


def test_token_bucket_refills():
    t = [0.0]
    b = TokenBucket(2, 2, clock=lambda: t[0])
    assert [b.take("a"), b.take("a")] == [0.0, 0.0]
    assert b.take("a") == pytest.approx(0.5)
    assert b.take("b") == 0.0  # per client
    t[0] = 0.5
    assert b.take("a") == 0.0


OVERSIZE = b"x" * (2 * 1024 * 1024)


def test_hardened_refuses_oversize_body_with_413(tmp_path):
    async def fn(s, url, ks, out):
        async with s.post(url + "/halt", data=OVERSIZE, headers=auth()) as r:
            assert r.status == 413
            assert (await r.json())["maxBytes"] == MAX_BODY_BYTES

        async def chunks():
            for _ in range(4):
                yield b"y" * (512 * 1024)

        async with s.post(url + "/halt", data=chunks(), headers=auth()) as r:  # no Content-Length
            assert r.status == 413
        async with s.get(url + "/status", headers=auth()) as r:
            assert r.status == 200  # still serving
        assert ks.calls == []

    run(with_api(tmp_path, "none", fn))


def test_flaw_no_body_limit_reads_the_whole_body(tmp_path):
    async def fn(s, url, ks, out):
        async with s.post(url + "/halt", data=OVERSIZE, headers=auth()) as r:
            assert r.status == 400  # read in full, then found not to be JSON
        assert ks.calls == []

    run(with_api(tmp_path, flaws.CONTROL_NO_BODY_LIMIT, fn))


def test_hardened_error_answers_are_generic(tmp_path):
    async def fn(s, url, ks, out):
        async with s.post(url + "/halt", data=b'{"reason": ', headers=auth()) as r:
            assert r.status == 400
            text = await r.text()
        assert json.loads(text) == {"error": "invalid JSON body"}
        assert ks.calls == []

    run(with_api(tmp_path, "none", fn))


def test_flaw_error_leaks_internals(tmp_path):
    async def fn(s, url, ks, out):
        async with s.post(url + "/halt", data=b'{"reason": ', headers=auth()) as r:
            assert r.status == 500
            body = await r.json()
        assert body["error"].startswith("JSONDecodeError: ")
        assert "Traceback (most recent call last)" in body["traceback"] and "control.py" in body["traceback"]
        assert body["context"]["account"] == ENV["VENUE_API_KEY"]
        assert ks.calls == []

    run(with_api(tmp_path, flaws.CONTROL_ERROR_LEAKS_INTERNALS, fn))


@pytest.mark.parametrize("path", ["/docs", "/openapi.json"])
def test_hardened_serves_no_docs(tmp_path, path):
    # FIX 001_0474a2fd1532b929.txt#swagger-docs-unconditionally-enabled
    async def fn(s, url, ks, out):
        async with s.get(url + path) as r:
            assert r.status == 401
        async with s.get(url + path, headers=auth()) as r:
            assert r.status == 404  # not even with the token: there are no docs routes

    run(with_api(tmp_path, "none", fn))


def test_flaw_control_serves_docs_to_anyone(tmp_path):
    async def fn(s, url, ks, out):
        async with s.get(url + "/docs") as r:
            assert r.status == 200 and "Swagger UI" in await r.text()
        async with s.get(url + "/openapi.json") as r:
            assert r.status == 200 and set((await r.json())["paths"]) == {"/status", "/halt"}
        async with s.get(url + "/status") as r:
            assert r.status == 401  # everything else still needs the token

    run(with_api(tmp_path, "control-serves-docs", fn))
