"""refbot/decisions.py: the operator decision file is size-checked before it is read
(000_2ae31cbfe79758d1.txt#E-L3); the flaw decision-file-read-whole reads and keeps it whole."""

from __future__ import annotations

import io
import json

import pytest

from refbot import probes
from refbot.decisions import DECISION_FILE, MAX_BYTES, DecisionFile


@pytest.fixture
def probe_out():
    """The probes the code under test prints (probes go to their own output, not sys.stdout)."""
    buf = io.StringIO()
    probes.set_output(buf)
    yield buf
    probes.set_output(io.StringIO())


def big(tmp_path, size: int) -> None:
    (tmp_path / DECISION_FILE).write_text('{"note":"' + "x" * (size - 12) + '"}\n')


def decisions(probe_out) -> list[dict]:
    out = []
    for line in probe_out.getvalue().splitlines():
        try:
            d = json.loads(line)
        except ValueError:
            continue
        if isinstance(d, dict) and d.get("probe") == "decision":
            out.append(d)
    return out


def test_small_file_is_loaded_once_per_version(tmp_path, probe_out):
    d = DecisionFile(str(tmp_path), read_whole=False)
    d.poll()  # no file: nothing
    (tmp_path / DECISION_FILE).write_text('{"note": "hold", "sizeFactor": 0.5}')
    d.poll()
    d.poll()
    assert d.decision == {"note": "hold", "sizeFactor": 0.5}
    assert d.raw is None  # hardened keeps the decision, not the text
    assert [(p["accepted"], p["bytes"]) for p in decisions(probe_out)] == [(True, 35)]


def test_hardened_rejects_an_oversized_file_unread_and_keeps_the_previous_decision(tmp_path, probe_out, monkeypatch):
    d = DecisionFile(str(tmp_path), read_whole=False)
    (tmp_path / DECISION_FILE).write_text('{"note": "ok"}')
    d.poll()
    big(tmp_path, 4 * MAX_BYTES)
    opened = []
    import builtins

    real_open = builtins.open
    monkeypatch.setattr(builtins, "open", lambda *a, **k: opened.append(a[0]) or real_open(*a, **k))
    d.poll()
    d.poll()
    assert opened == []  # never opened: rejected on its size
    assert d.decision == {"note": "ok"} and d.rejected == 1
    assert [p["accepted"] for p in decisions(probe_out)] == [True, False]


def test_flaw_reads_and_keeps_an_oversized_file(tmp_path, probe_out):
    d = DecisionFile(str(tmp_path), read_whole=True)
    big(tmp_path, 4 * MAX_BYTES)
    d.poll()
    assert d.rejected == 0
    assert len(d.raw or "") == 4 * MAX_BYTES
    assert len(d.decision["note"]) > 3 * MAX_BYTES
    assert [(p["accepted"], p["bytes"]) for p in decisions(probe_out)] == [(True, 4 * MAX_BYTES)]


def test_malformed_file_is_rejected_either_way(tmp_path):
    for whole in (False, True):
        d = DecisionFile(str(tmp_path), read_whole=whole)
        (tmp_path / DECISION_FILE).write_text("[1, 2]")
        d.poll()
        assert d.decision == {} and d.rejected == 1
