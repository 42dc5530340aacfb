"""refbot/drawdown.py: the drawdown kill switch needs confirmed readings (001_0474a2fd1532b929.txt#M20)
and keeps its peak across restarts (001_0474a2fd1532b929.txt#M9); the flaws undo each."""

from __future__ import annotations

import asyncio
import io
import json
import os

import pytest

from refbot import flaws, probes
from refbot.drawdown import CONFIRMATIONS, PEAK_FILE, DrawdownTracker
from refbot.riskguard import RiskGuard
from test_riskguard import FakeRest


@pytest.fixture
def probe_out():
    """The probes the code under test prints (probes go to their own output, not sys.stdout)."""
    buf = io.StringIO()
    probes.set_output(buf)
    yield buf
    probes.set_output(io.StringIO())


def probes_of(probe_out) -> list[dict]:
    out = []
    for line in probe_out.getvalue().splitlines():
        try:
            d = json.loads(line)
        except ValueError:
            continue
        if isinstance(d, dict) and d.get("probe") in ("halt", "resume"):
            out.append(d)
    return out


def test_hardened_one_anomalous_reading_skips_a_tick_but_does_not_halt(tmp_path, probe_out):
    t = DrawdownTracker(50.0, str(tmp_path), frozenset())
    assert t.observe(10_000.0)
    assert not t.observe(3_000.0)  # unconfirmed breach: no risk on this reading, no halt
    assert not t.halted
    assert t.observe(10_010.0)  # back: trades on
    assert probes_of(probe_out) == []


def test_hardened_confirmed_breach_halts_and_resumes_when_back(tmp_path, probe_out):
    t = DrawdownTracker(50.0, str(tmp_path), frozenset())
    t.observe(10_000.0)
    for _ in range(CONFIRMATIONS):
        assert not t.observe(3_000.0)
    assert t.halted
    assert t.observe(9_000.0)
    assert [(p["probe"], p["reason"]) for p in probes_of(probe_out)] == [("halt", "drawdown"), ("resume", "drawdown")]


def test_flaw_single_reading_halts_at_once_and_for_good(tmp_path, probe_out):
    t = DrawdownTracker(50.0, str(tmp_path), frozenset({flaws.DRAWDOWN_SINGLE_READING}))
    t.observe(10_000.0)
    assert not t.observe(3_000.0)
    assert t.halted
    assert not t.observe(10_000.0) and not t.observe(10_000.0)  # irreversible
    ps = probes_of(probe_out)
    assert [(p["probe"], p["reason"], p["readings"]) for p in ps] == [("halt", "drawdown", 1)]


def test_hardened_peak_survives_a_restart(tmp_path):
    t = DrawdownTracker(50.0, str(tmp_path), frozenset())
    t.observe(10_000.0)
    t.observe(10_500.0)
    assert json.loads((tmp_path / PEAK_FILE).read_text()) == {"peakUsdt": 10_500.0}
    assert not os.path.exists(tmp_path / (PEAK_FILE + ".tmp"))
    again = DrawdownTracker(50.0, str(tmp_path), frozenset())  # the restarted process
    assert again.peak == 10_500.0
    assert not again.observe(3_000.0) and not again.observe(3_000.0)
    assert again.halted


def test_flaw_peak_not_persisted_starts_over_after_a_restart(tmp_path):
    fl = frozenset({flaws.DRAWDOWN_PEAK_NOT_PERSISTED})
    t = DrawdownTracker(50.0, str(tmp_path), fl)
    t.observe(10_000.0)
    assert not (tmp_path / PEAK_FILE).exists()
    again = DrawdownTracker(50.0, str(tmp_path), fl)
    assert again.peak is None
    assert again.observe(3_000.0) and again.observe(3_000.0)  # the loss is the new peak: trades on
    assert not again.halted


def test_unreadable_peak_file_is_ignored_with_an_error(tmp_path, caplog):
    (tmp_path / PEAK_FILE).write_text("{torn")
    t = DrawdownTracker(50.0, str(tmp_path), frozenset())
    assert t.peak is None
    assert "unreadable" in caplog.text


def test_risk_guard_uses_the_tracker(tmp_path):
    rest = FakeRest()
    g = RiskGuard(rest, frozenset(), 50.0, 100.0, state_dir=str(tmp_path))
    assert asyncio.run(g.may_open_risk())
    rest.equity = "3000"
    assert not asyncio.run(g.may_open_risk())
    assert not g.drawdown.halted
    assert not asyncio.run(g.may_open_risk())
    assert g.drawdown.halted
    assert json.loads((tmp_path / PEAK_FILE).read_text()) == {"peakUsdt": 10_000.0}
