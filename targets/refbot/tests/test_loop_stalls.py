"""The event loop never stalls on the database or a failing REST endpoint (loop-never-stalls).

Flaw sqlite-on-loop (000_2ae31cbfe79758d1.txt#S-H4, #E-H3): a journal write on the loop thread
waits for a locked database; hardened only enqueues and its writer thread waits instead.
Flaw blocking-rest-retry (000_2ae31cbfe79758d1.txt#E-H4): the REST mid check blocks the loop
through its retries and time.sleep() backoff; hardened makes one bounded async try.
Each is measured the way the harness sees it: heartbeats of a task on the same loop.
"""

from __future__ import annotations

import asyncio
import io
import json
import sqlite3
import sys
import threading
import time

import aiohttp
import pytest
from httpstub import JsonHandler, serving

from refbot import flaws, heartbeat, journal, probes, restmid
from refbot.config import KNOWN_FLAWS, load_config
from refbot.journal import JOURNAL_FILE, Journal
from refbot.restmid import RestMidCheck

ENV = {"VENUE_REST_URL": "http://127.0.0.1:1", "VENUE_WS_URL": "ws://127.0.0.1:1", "VENUE_API_KEY": "k", "VENUE_API_SECRET": "s"}


def test_flaws_are_known_and_in_the_naive_profile() -> None:
    for name in (flaws.SQLITE_ON_LOOP, flaws.BLOCKING_REST_RETRY):
        assert name in KNOWN_FLAWS
        assert load_config({**ENV, "REFBOT_PROFILE": "naive"}).flags.has(name)
        assert not load_config({**ENV, "REFBOT_PROFILE": "hardened"}).flags.has(name)
    assert load_config({**ENV, "REFBOT_REST_MID_MS": "250"}).rest_mid_ms == 250
    with pytest.raises(Exception, match="REFBOT_REST_MID_MS"):
        load_config({**ENV, "REFBOT_REST_MID_MS": "5"})


async def max_beat_gap(work) -> float:
    """Runs `work` (a coroutine) beside a 20 ms heartbeat task; returns the longest gap in seconds."""
    beats: list[float] = []

    async def beat() -> None:
        while True:
            beats.append(time.monotonic())
            await asyncio.sleep(0.02)

    t = asyncio.create_task(beat())
    await asyncio.sleep(0.05)
    await work
    await asyncio.sleep(0.05)
    t.cancel()
    return max(b - a for a, b in zip(beats, beats[1:]))


class Locked:
    """Holds BEGIN EXCLUSIVE on the journal from another connection, like the sqlite-lock fault."""

    def __init__(self, path: str) -> None:
        self.con = sqlite3.connect(path, timeout=5, isolation_level=None)
        self.con.execute("BEGIN EXCLUSIVE")

    def release(self) -> None:
        self.con.execute("ROLLBACK")
        self.con.close()


def rows(path: str) -> int:
    con = sqlite3.connect(path)
    try:
        return con.execute("SELECT count(*) FROM journal").fetchone()[0]
    finally:
        con.close()


def test_flawed_journal_write_blocks_the_loop_while_the_database_is_locked(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(journal, "DB_TIMEOUT_S", 0.4)
    j = Journal(str(tmp_path), on_loop=True)
    j.record("order-update", {"c": "a"})  # unlocked: written at once
    assert j.written == 1
    lock = Locked(str(tmp_path / JOURNAL_FILE))

    async def work() -> None:
        j.record("order-update", {"c": "b"})

    gap = asyncio.run(max_beat_gap(work()))
    lock.release()
    assert gap >= 0.35  # the whole loop waited for the busy timeout
    assert j.failed == 1 and rows(str(tmp_path / JOURNAL_FILE)) == 1  # and the row was lost


def test_hardened_journal_never_blocks_and_writes_once_the_lock_is_gone(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(journal, "DB_TIMEOUT_S", 0.2)
    j = Journal(str(tmp_path), on_loop=False)
    path = str(tmp_path / JOURNAL_FILE)
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    con.close()
    lock = Locked(path)

    async def work() -> None:
        for i in range(20):
            j.record("order-update", {"c": i})
            await asyncio.sleep(0.03)

    gap = asyncio.run(max_beat_gap(work()))
    assert gap < 0.2
    assert rows_when_unlocked_later(lock, path, 20)
    j.close()


def rows_when_unlocked_later(lock: Locked, path: str, want: int) -> bool:
    time.sleep(0.3)  # the writer meets SQLITE_BUSY at least once meanwhile
    lock.release()
    deadline = time.monotonic() + 3
    while time.monotonic() < deadline:
        if rows(path) == want:
            return True
        time.sleep(0.05)
    return False


class Failing(JsonHandler):
    hits = 0

    def do_GET(self) -> None:  # noqa: N802
        Failing.hits += 1
        self.reply(503, b'{"code":-1001,"msg":"Service Unavailable."}')


@pytest.fixture
def failing_server():
    Failing.hits = 0
    with serving(Failing) as url:
        yield url


def run_poll(url: str, blocking: bool) -> float:
    async def main() -> float:
        async with aiohttp.ClientSession() as session:
            check = RestMidCheck(session, url, "BTCUSDT", lambda: 60_000.0, blocking=blocking)
            gap = await max_beat_gap(check.poll())
            assert check.failures == 1
            return gap

    return asyncio.run(main())


def test_flawed_rest_mid_retries_with_sleep_on_the_loop(failing_server, monkeypatch) -> None:
    monkeypatch.setattr(restmid, "SYNC_BACKOFF_S", (0.2, 0.4))
    gap = run_poll(failing_server, blocking=True)
    assert Failing.hits == 3  # three tries
    assert gap >= 0.55  # and the loop slept through both backoffs


def test_hardened_rest_mid_makes_one_async_try(failing_server) -> None:
    gap = run_poll(failing_server, blocking=False)
    assert Failing.hits == 1
    assert gap < 0.2


def test_heartbeat_probe_every_interval() -> None:
    out = io.StringIO()
    probes.set_output(out)

    async def main() -> None:
        t = asyncio.create_task(heartbeat.run_heartbeat(0.02))
        await asyncio.sleep(0.11)
        t.cancel()

    try:
        asyncio.run(main())
    finally:
        probes.set_output(sys.stdout)
    lines = [json.loads(x) for x in out.getvalue().splitlines()]
    assert [x["probe"] for x in lines] == ["heartbeat"] * len(lines)
    assert 4 <= len(lines) <= 7 and [x["n"] for x in lines] == list(range(1, len(lines) + 1))


class Slow(JsonHandler):
    def do_GET(self) -> None:  # noqa: N802
        time.sleep(0.5)
        self.reply(200, b'{"symbol":"BTCUSDT","bidPrice":"60000.0","askPrice":"60000.2"}')


@pytest.fixture
def slow_server():
    with serving(Slow) as url:
        yield url


def run_poll_beside_market_updates(url: str, io_lock: threading.RLock | None) -> float:
    """The REST mid check polls a slow endpoint while market-data updates take the book's lock on
    the loop (as bot._on_market does); returns the longest heartbeat gap."""
    book_lock = io_lock or threading.RLock()

    async def main() -> float:
        async def market() -> None:
            while True:
                with book_lock:
                    pass
                await asyncio.sleep(0.01)

        async with aiohttp.ClientSession() as session:
            check = RestMidCheck(session, url, "BTCUSDT", lambda: 60_000.1, blocking=False, io_lock=io_lock)
            feed = asyncio.create_task(market())
            try:
                gap = await max_beat_gap(check.poll())
            finally:
                feed.cancel()
            return gap

    return asyncio.run(main())


def test_flawed_rest_mid_holds_the_book_lock_across_its_request(slow_server) -> None:
    # FLAW 004_8a8a9a4995486b8f.txt#H-ENG-05: the worker thread holds the lock for the whole slow
    # request, so the loop's next market-data update waits for it.
    assert run_poll_beside_market_updates(slow_server, threading.RLock()) >= 0.4


def test_hardened_rest_mid_never_takes_the_book_lock(slow_server) -> None:
    assert run_poll_beside_market_updates(slow_server, None) < 0.2


CANDLES = [[60_000 * k, "1", "2", "0.5", "1.5", "10", 60_000 * k + 59_999] for k in range(90)]


def test_flawed_kline_sync_bypasses_the_writer_and_blocks_the_loop(tmp_path, monkeypatch) -> None:
    """Flaw sync-writes-bypass-lock (003_a7371304fd1017c8.txt#sync-writes-use-store-conn-execute-directly-in)."""
    monkeypatch.setattr(journal, "DB_TIMEOUT_S", 0.4)
    j = Journal(str(tmp_path), on_loop=False)  # the journal itself is hardened
    lock = Locked(str(tmp_path / JOURNAL_FILE))

    async def work() -> None:
        j.store_klines(CANDLES, direct=True)

    gap = asyncio.run(max_beat_gap(work()))
    lock.release()
    j.close()
    assert gap >= 0.35
    assert j.failed == 1 and rows(str(tmp_path / JOURNAL_FILE)) == 0


def test_hardened_kline_sync_goes_through_the_writer_and_is_stored_once_the_lock_is_gone(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(journal, "DB_TIMEOUT_S", 0.2)
    j = Journal(str(tmp_path), on_loop=False)
    path = str(tmp_path / JOURNAL_FILE)
    lock = Locked(path)

    async def work() -> None:
        j.store_klines(CANDLES)
        await asyncio.sleep(0.3)

    gap = asyncio.run(max_beat_gap(work()))
    assert gap < 0.2
    assert rows_when_unlocked_later(lock, path, 90)
    con = sqlite3.connect(path)
    try:
        kinds = con.execute("SELECT DISTINCT kind FROM journal").fetchall()
        first = json.loads(con.execute("SELECT body FROM journal ORDER BY id LIMIT 1").fetchone()[0])
    finally:
        con.close()
    assert kinds == [("kline",)] and first == [0, "1", "2", "0.5", "1.5", "10"]
    j.close()
