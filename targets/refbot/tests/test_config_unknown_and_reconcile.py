"""Two flaws of wave 2: an unknown REFBOT_* option ignored (config-fails-fast, 002#R5) and the
fill reconciliation leaking its SQLite connection on failed passes (bounded-resources, 000#E-C2).
"""

import os
import sqlite3

import pytest

from refbot import flaws
from refbot.config import ConfigError, load_config
from refbot.journal import Journal
from refbot.reconcile import FillReconciler

BASE = {"VENUE_REST_URL": "http://127.0.0.1:40001", "VENUE_WS_URL": "ws://127.0.0.1:40002", "VENUE_API_KEY": "k", "VENUE_API_SECRET": "s"}


def test_unknown_option_is_fatal_when_hardened():
    with pytest.raises(ConfigError) as e:
        load_config({**BASE, "REFBOT_FLAWS": "none", "REFBOT_MAX_NOTIONAL": "50"})
    assert "REFBOT_MAX_NOTIONAL='50' is not a refbot option (did you mean REFBOT_MAX_NOTIONAL_USD?)" in str(e.value)


def test_known_options_and_other_prefixes_are_accepted():
    c = load_config({**BASE, "REFBOT_FLAWS": "none", "REFBOT_MAX_NOTIONAL_USD": "50", "REFBOT_PROFILE": "hardened", "OTHER_THING": "x"})
    assert c.max_notional_usd == 50


def test_unknown_option_ignored_with_the_flaw_keeps_the_default():
    c = load_config({**BASE, "REFBOT_FLAWS": flaws.UNKNOWN_OPTION_IGNORED, "REFBOT_MAX_NOTIONAL": "50"})
    assert c.max_notional_usd == 1000  # the setting it meant silently kept its default


def open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def locked_passes(tmp_path, leak: bool, n: int) -> tuple[FillReconciler, int]:
    Journal(str(tmp_path), on_loop=False).close()
    rec = FillReconciler(str(tmp_path), leak_on_error=leak)
    rec._pass()  # creates the reconcile table while the journal is free
    assert rec.passes == 1
    locker = sqlite3.connect(os.path.join(str(tmp_path), "refbot-journal.sqlite"), timeout=1)
    locker.isolation_level = None
    locker.execute("BEGIN EXCLUSIVE")
    try:
        rec._pass()  # one failed pass first: anything opened once (not per pass) is not counted
        before = open_fds()
        for _ in range(n):
            rec._pass()
        return rec, open_fds() - before
    finally:
        locker.execute("ROLLBACK")
        locker.close()


def test_failed_passes_leak_connections_with_the_flaw(tmp_path):
    rec, grown = locked_passes(tmp_path, leak=True, n=5)
    assert rec.failed == 6
    assert grown >= 5  # at least the database file's fd per failed pass


def test_failed_passes_leak_nothing_when_hardened(tmp_path):
    rec, grown = locked_passes(tmp_path, leak=False, n=5)
    assert rec.failed == 6
    assert grown == 0
    rec._pass()  # the lock is gone: the next pass goes through
    assert rec.passes == 2


def test_reconcile_counts_fills_since_the_last_pass(tmp_path):
    j = Journal(str(tmp_path), on_loop=True)
    j.record("order-update", {"X": "NEW"})
    j.record("order-update", {"X": "FILLED"})
    rec = FillReconciler(str(tmp_path), leak_on_error=False)
    rec._pass()
    assert (rec.fills, rec.last_id) == (1, 2)
    j.record("order-update", {"X": "FILLED"})
    rec._pass()
    assert (rec.fills, rec.last_id, rec.passes) == (2, 3, 2)
