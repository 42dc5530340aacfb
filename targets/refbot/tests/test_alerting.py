"""operator-visibility (refbot/alerting.py): a kill-switch halt alerts the operator.

Flaw halt-alert-lost (001_0474a2fd1532b929.txt#H4, #C6): the alert is sent from a thread through
asyncio.get_event_loop(), which raises there; the alert is dropped. Hardened hands it to the alert
worker's queue, which prints it as an alert probe and appends it to STATE_DIR/refbot-alerts.jsonl.
"""

from __future__ import annotations

import asyncio
import io
import json

import pytest

from refbot import flaws, probes
from refbot.alerting import send_halt_alert
from refbot.config import load_config
from refbot.graceful import AlertWorker
from refbot.killswitch import KillSwitch

ENV = {"VENUE_REST_URL": "http://127.0.0.1:1", "VENUE_WS_URL": "ws://127.0.0.1:1", "VENUE_API_KEY": "k", "VENUE_API_SECRET": "s"}


def cfg(flaw: str, state_dir: str):
    return load_config({**ENV, "REFBOT_FLAWS": flaw, "STATE_DIR": state_dir})


@pytest.fixture
def out():
    buf = io.StringIO()
    probes.set_output(buf)
    yield buf
    probes.set_output(io.StringIO())


def halt_in_loop(c, worker: AlertWorker) -> KillSwitch:
    """Halts a kill switch from inside a running event loop (as the bot does), then stops the worker."""

    async def main() -> KillSwitch:
        ks = KillSwitch(c)
        ks.alert = worker.alert
        ks.halt("kill-file")
        await asyncio.sleep(0.2)  # let any sender thread finish
        return ks

    worker.start()
    try:
        return asyncio.run(main())
    finally:
        worker.stop()


def lines(buf: io.StringIO) -> list[dict]:
    return [json.loads(x) for x in buf.getvalue().splitlines() if x.strip()]


def test_hardened_halt_is_alerted_as_a_probe_and_in_the_alert_file(tmp_path, out):
    c = cfg("none", str(tmp_path))
    ks = halt_in_loop(c, AlertWorker(c))
    assert ks.halted
    got = lines(out)
    assert [p["probe"] for p in got] == ["halt", "alert"]
    assert got[1]["kind"] == "halt" and got[1]["text"].startswith("kill-file")
    alerts = [json.loads(x) for x in (tmp_path / "refbot-alerts.jsonl").read_text().splitlines()]
    assert [a["kind"] for a in alerts] == ["halt"]


def test_flaw_halt_alert_lost_halts_but_tells_nobody(tmp_path, out):
    c = cfg(flaws.HALT_ALERT_LOST, str(tmp_path))
    ks = halt_in_loop(c, AlertWorker(c))
    assert ks.halted  # the protection still works
    # FLAW 001_0474a2fd1532b929.txt#H4: get_event_loop() raised in the sender thread; no alert.
    assert [p["probe"] for p in lines(out)] == ["halt"]
    assert not (tmp_path / "refbot-alerts.jsonl").exists()


def test_flaw_sender_thread_really_meets_the_missing_loop(tmp_path):
    seen: list[tuple[str, str]] = []
    t = send_halt_alert(cfg(flaws.HALT_ALERT_LOST, str(tmp_path)), lambda k, x: seen.append((k, x)), "x")
    assert t is not None
    t.join(2.0)
    assert seen == []
    assert send_halt_alert(cfg("none", str(tmp_path)), lambda k, x: seen.append((k, x)), "y") is None
    assert seen == [("halt", "y")]
