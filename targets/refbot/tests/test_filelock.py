"""Leader lock file in SHARED_DIR (refbot/filelock.py).

Fix for 003_a7371304fd1017c8.txt#file-lock-stale-eviction-removes-lock-files-older: the hardened
lock is a flock held for life, so an old mtime lets no follower in while the holder lives, and the
lock passes on at once when the holder releases or dies. Flaw file-lock-evicts-by-age: a follower
deletes a lock file older than STALE_S and takes over while the holder still trades.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from refbot.filelock import FileLeaderLock


def age(path: str, seconds: float) -> None:
    t = time.time() - seconds
    os.utime(path, (t, t))


@pytest.mark.parametrize("evict", [False, True])
def test_one_holder_at_a_time_while_the_file_is_young(tmp_path, evict):
    a = FileLeaderLock(str(tmp_path), "BTCUSDT", "bot-1", evict_by_age=evict)
    b = FileLeaderLock(str(tmp_path), "BTCUSDT", "bot-2", evict_by_age=evict)
    a.step()
    b.step()
    assert a.may_trade() and not b.may_trade()
    assert '"owner": "bot-1:' in (tmp_path / "refbot-leader-BTCUSDT.lock").read_text()


def test_hardened_ignores_the_age_of_a_live_holders_file(tmp_path):
    a = FileLeaderLock(str(tmp_path), "BTCUSDT", "bot-1", evict_by_age=False)
    b = FileLeaderLock(str(tmp_path), "BTCUSDT", "bot-2", evict_by_age=False)
    a.step()
    age(a.path, 3600)
    for _ in range(3):
        b.step()
    assert a.may_trade() and not b.may_trade()
    assert os.path.exists(a.path)


def test_flaw_evicts_a_live_holder_by_age(tmp_path):
    a = FileLeaderLock(str(tmp_path), "BTCUSDT", "bot-1", evict_by_age=True)
    b = FileLeaderLock(str(tmp_path), "BTCUSDT", "bot-2", evict_by_age=True)
    a.step()
    age(a.path, 3600)
    b.step()  # removes the "stale" file
    b.step()  # and takes the lock
    assert a.may_trade() and b.may_trade()  # two writers


@pytest.mark.parametrize("evict", [False, True])
def test_release_hands_over_at_once(tmp_path, evict):
    import asyncio

    a = FileLeaderLock(str(tmp_path), "BTCUSDT", "bot-1", evict_by_age=evict)
    b = FileLeaderLock(str(tmp_path), "BTCUSDT", "bot-2", evict_by_age=evict)
    a.step()
    asyncio.run(a.release())
    b.step()
    assert not a.may_trade() and b.may_trade()


def test_hardened_lock_is_freed_when_the_holder_dies(tmp_path):
    code = (
        "import sys, time; sys.path.insert(0, %r); from refbot.filelock import FileLeaderLock; "
        "l = FileLeaderLock(%r, 'BTCUSDT', 'bot-1', evict_by_age=False); l.step(); print(l.leader, flush=True); time.sleep(30)"
    ) % (os.getcwd(), str(tmp_path))
    p = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert p.stdout is not None
        lines = [p.stdout.readline().strip(), p.stdout.readline().strip()]  # the leader probe, then True
        assert lines[-1] == "True", lines
        b = FileLeaderLock(str(tmp_path), "BTCUSDT", "bot-2", evict_by_age=False)
        b.step()
        assert not b.may_trade()  # held by a live process
        p.kill()
        p.wait()
        b.step()
        assert b.may_trade()  # the kernel freed it with the process: no staleness rule needed
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()


def test_config_takes_shared_dir_and_refuses_a_bad_one(tmp_path):
    from refbot.config import ConfigError, load_config

    env = {"VENUE_REST_URL": "http://127.0.0.1:1", "VENUE_WS_URL": "ws://127.0.0.1:1", "VENUE_API_KEY": "k" * 16, "VENUE_API_SECRET": "s"}
    assert load_config({**env, "SHARED_DIR": str(tmp_path)}).shared_dir == str(tmp_path)
    with pytest.raises(ConfigError, match="SHARED_DIR"):
        load_config({**env, "SHARED_DIR": str(tmp_path / "missing")})
