"""Alerts the alert file cannot take stay pending, are retried, or are counted as lost (000_2ae31cbfe79758d1.txt#E-L6)."""

from __future__ import annotations

import io
import json
import logging
import os
import time

import pytest

from refbot import alertfile, probes
from refbot.alertfile import AlertFile
from refbot.config import load_config
from refbot.graceful import AlertWorker

BASE = {"VENUE_REST_URL": "http://127.0.0.1:1", "VENUE_WS_URL": "ws://127.0.0.1:1", "VENUE_API_KEY": "k", "VENUE_API_SECRET": "s"}


def alert(n: int) -> dict:
    return {"atMs": n, "kind": "halt", "text": f"halt {n}"}


def lines(path) -> list[str]:
    return [json.loads(l)["text"] for l in open(path)] if os.path.isfile(path) else []


def unwritable(path):
    """As the harness's state-file-unwritable: a directory takes the file's path."""
    os.rename(path, f"{path}.aside") if os.path.isfile(path) else None
    os.mkdir(path)


def writable(path):
    os.rmdir(path)
    if os.path.exists(f"{path}.aside"):
        os.rename(f"{path}.aside", path)


def test_alerts_written_while_unwritable_stay_pending_and_are_written_in_order_later(tmp_path, caplog):
    path = str(tmp_path / "alerts.jsonl")
    f = AlertFile(path)
    f.write(alert(1))
    unwritable(path)
    f.write(alert(2))
    f.write(alert(3))
    assert [i["text"] for i in f.pending] == ["halt 2", "halt 3"]
    assert len([r for r in caplog.records if "unwritable" in r.message]) == 1  # once, not per alert
    writable(path)
    assert f.flush()
    assert lines(path) == ["halt 1", "halt 2", "halt 3"]
    assert any("writable again: 2 pending alert(s) written, 0 lost" in r.message for r in caplog.records)


def test_alerts_still_pending_at_stop_are_logged_as_lost_with_count_and_text(tmp_path, caplog):
    path = str(tmp_path / "alerts.jsonl")
    unwritable(path)
    f = AlertFile(path)
    f.write(alert(1))
    f.write(alert(2))
    assert not f.flush(final=True)
    lost = [r.message for r in caplog.records if "at stop" in r.message]
    assert len(lost) == 1 and "2 alert(s) lost" in lost[0] and "halt: halt 1; halt: halt 2" in lost[0]


def test_more_than_max_pending_drops_the_oldest_and_counts_them(tmp_path, monkeypatch, caplog):
    monkeypatch.setattr(alertfile, "MAX_PENDING", 3)
    path = str(tmp_path / "alerts.jsonl")
    unwritable(path)
    f = AlertFile(path)
    for n in range(5):
        f.write(alert(n))
    assert [i["text"] for i in f.pending] == ["halt 2", "halt 3", "halt 4"] and f.lost == 2
    writable(path)
    f.flush()
    assert lines(path) == ["halt 2", "halt 3", "halt 4"]
    assert any("3 pending alert(s) written, 2 lost" in r.message for r in caplog.records)


def test_flaw_alert_write_error_drops_pending_loses_them_silently(tmp_path, caplog):
    caplog.set_level(logging.INFO)
    path = str(tmp_path / "alerts.jsonl")
    unwritable(path)
    f = AlertFile(path, drop_on_error=True)
    f.write(alert(1))
    writable(path)
    f.write(alert(2))
    assert lines(path) == ["halt 2"]
    assert not [r for r in caplog.records if r.levelno >= logging.INFO and "alert" in r.message]


def test_the_worker_retries_pending_alerts_on_its_own_once_the_file_is_back(tmp_path, monkeypatch):
    monkeypatch.setattr("refbot.graceful.RETRY_S", 0.05)
    probes.set_output(io.StringIO())
    w = AlertWorker(load_config({**BASE, "STATE_DIR": str(tmp_path), "REFBOT_FLAWS": "none"}))
    unwritable(w.path)
    w.start()
    try:
        w.alert("halt", "while unwritable")
        deadline = time.monotonic() + 2
        while not w.file.pending and time.monotonic() < deadline:
            time.sleep(0.01)
        assert w.file.pending
        writable(w.path)
        while w.file.pending and time.monotonic() < deadline:
            time.sleep(0.01)
        assert lines(w.path) == ["while unwritable"]  # no new alert was needed to retry
    finally:
        w.stop()
        probes.set_output(__import__("sys").stdout)
