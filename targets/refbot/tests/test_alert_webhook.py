"""REFBOT_ALERT_WEBHOOK_URL (refbot/alert_webhook.py) and the flaw webhook-url-unvalidated
(001_0474a2fd1532b929.txt#slack-webhook-url-not-validated-before-use): hardened refuses a
malformed URL at start-up; with the flaw it is accepted and every alert then fails to send."""

from __future__ import annotations

import io
import json
import logging
import os
import subprocess
import sys

import pytest
from httpstub import JsonHandler, serving

from refbot import flaws, probes
from refbot.alert_webhook import post_alert
from refbot.config import ConfigError, load_config
from refbot.graceful import AlertWorker

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BASE = {"VENUE_REST_URL": "http://127.0.0.1:40001", "VENUE_WS_URL": "ws://127.0.0.1:40002", "VENUE_API_KEY": "k", "VENUE_API_SECRET": "s"}
BAD = "hooks.slack.com/services/T0AL3RTS/B0DESK/ops-channel-token"


def cfg(flaw: str = "none", **over):
    return load_config({**BASE, "REFBOT_FLAWS": flaw, **over})


@pytest.fixture(autouse=True)
def quiet_probes():
    probes.set_output(io.StringIO())


@pytest.fixture
def sink():
    got: list[dict] = []

    class H(JsonHandler):
        def do_POST(self):
            got.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.reply(200)

    with serving(H) as url:
        yield f"{url}/services/hook", got


def test_no_webhook_by_default():
    assert cfg().alert_webhook_url == ""


@pytest.mark.parametrize("url", [BAD, "ftp://hooks.example/x", "https://", "https://hooks.example", "https://exa mple/x"])
def test_hardened_refuses_a_malformed_url(url):
    with pytest.raises(ConfigError, match="REFBOT_ALERT_WEBHOOK_URL"):
        cfg(REFBOT_ALERT_WEBHOOK_URL=url)


def test_flaw_accepts_a_malformed_url_and_every_alert_then_fails(caplog):
    c = cfg(flaws.WEBHOOK_URL_UNVALIDATED, REFBOT_ALERT_WEBHOOK_URL=BAD)
    # FLAW 001_0474a2fd1532b929.txt#slack-webhook-url-not-validated-before-use: found out only when used.
    assert c.alert_webhook_url == BAD
    assert post_alert(c.alert_webhook_url, "halted") is False
    assert any("not delivered" in r.getMessage() for r in caplog.records)


def test_alert_worker_posts_to_a_valid_webhook(sink):
    url, got = sink
    c = cfg(REFBOT_ALERT_WEBHOOK_URL=url)
    w = AlertWorker(c)
    w.start()
    w.alert("lifecycle", "RUNNING ready")
    w.stop()
    assert got == [{"text": "lifecycle: RUNNING ready"}]


def test_a_dead_webhook_never_kills_the_worker():
    assert post_alert("http://127.0.0.1:1/hook", "x") is False


def test_process_exits_2_naming_the_url_unless_the_flaw_accepts_it():
    env = {**os.environ, **BASE, "REFBOT_PROFILE": "hardened", "REFBOT_ALERT_WEBHOOK_URL": BAD}
    p = subprocess.run([sys.executable, "-m", "refbot"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=20)
    assert p.returncode == 2
    assert "REFBOT_ALERT_WEBHOOK_URL" in p.stderr
