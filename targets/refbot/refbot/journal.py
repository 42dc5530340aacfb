"""SQLite journal of the user stream's order updates in STATE_DIR (refbot-journal.sqlite).

Hardened (fix for 000_2ae31cbfe79758d1.txt#S-H4 and #E-H3): one persistent connection, set up
once (WAL, busy_timeout), owned by a writer thread. The event loop only enqueues rows, so a
locked database (a backup, a second process) delays the journal, never the trading loop; rows
that meet SQLITE_BUSY stay queued and are written once the lock is gone.

The kline sync (refbot/warmup.py) stores the candles it fetched in the same database, through
the same writer (store_klines). Flaw sync-writes-bypass-lock
(003_a7371304fd1017c8.txt#sync-writes-use-store-conn-execute-directly-in) writes them with a
connection of its own on the event loop, bypassing the writer: while another connection holds the
database, the loop waits for the lock.

Flaw sqlite-on-loop (000_2ae31cbfe79758d1.txt#S-H4, #E-H3): each write opens its own connection
on the event loop thread, re-runs the PRAGMA setup, without WAL, and waits up to
_DB_TIMEOUT_S = 5 s for a lock, as live/trader.py and OmsStore do. While another connection
holds the database, every order update stalls the whole loop for the busy timeout.
"""

from __future__ import annotations

import json
import logging
import os
import queue
import sqlite3
import threading
import time

log = logging.getLogger("refbot.journal")

JOURNAL_FILE = "refbot-journal.sqlite"
DB_TIMEOUT_S = 5.0  # the audited code's _DB_TIMEOUT_S
SCHEMA = "CREATE TABLE IF NOT EXISTS journal (id INTEGER PRIMARY KEY, at_ms INTEGER NOT NULL, kind TEXT NOT NULL, body TEXT NOT NULL)"
INSERT = "INSERT INTO journal (at_ms, kind, body) VALUES (?, ?, ?)"
RETRY_S = 0.2


class Journal:
    def __init__(self, state_dir: str, on_loop: bool) -> None:
        self.path = os.path.join(state_dir, JOURNAL_FILE)
        self.on_loop = on_loop
        self.written = 0
        self.failed = 0
        self._q: queue.Queue[tuple[int, str, str] | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        # Create the file and table up front, so it exists (and can be locked) from the start.
        con = sqlite3.connect(self.path, timeout=DB_TIMEOUT_S)
        try:
            if not on_loop:
                con.execute("PRAGMA journal_mode=WAL")
            con.execute(SCHEMA)
            con.commit()
        finally:
            con.close()
        if not on_loop:
            self._thread = threading.Thread(target=self._writer, name="journal-writer", daemon=True)
            self._thread.start()

    def record(self, kind: str, body: dict) -> None:
        row = (int(time.time() * 1000), kind, json.dumps(body, separators=(",", ":")))
        if not self.on_loop:
            self._q.put_nowait(row)  # FIX: never blocks the caller
            return
        # FLAW 000_2ae31cbfe79758d1.txt#S-H4 / #E-H3: a fresh connection per write, PRAGMA setup
        # every time, no WAL, a 5 s busy wait, all on the calling (event loop) thread.
        try:
            con = sqlite3.connect(self.path, timeout=DB_TIMEOUT_S)
            try:
                con.execute("PRAGMA synchronous=FULL")
                con.execute(SCHEMA)
                con.execute(INSERT, row)
                con.commit()
                self.written += 1
            finally:
                con.close()
        except sqlite3.Error as e:
            self.failed += 1
            log.error("journal write failed: %s", e)

    def store_klines(self, rows: list, direct: bool = False) -> None:
        """The kline sync's write: each candle as a row of kind "kline" ([openTime, open, high, low, close, volume]).

        FIX 003_a7371304fd1017c8.txt#sync-writes-use-store-conn-execute-directly-in: through the
        store's write path, the writer thread, like every other write; the caller never waits.
        """
        now = int(time.time() * 1000)
        batch = [(now, "kline", json.dumps(r[:6], separators=(",", ":"))) for r in rows if isinstance(r, list)]
        if not batch:
            return
        if not direct and not self.on_loop:
            for row in batch:
                self._q.put_nowait(row)
            return
        # FLAW 003_a7371304fd1017c8.txt#sync-writes-use-store-conn-execute-directly-in (direct), and
        # the journal's own on-loop writes (flaw sqlite-on-loop): the store's database written
        # with a connection of the caller's, on the caller's (event loop) thread, waiting up to
        # DB_TIMEOUT_S for another writer's lock.
        try:
            con = sqlite3.connect(self.path, timeout=DB_TIMEOUT_S)
            try:
                con.executemany(INSERT, batch)
                con.commit()
                self.written += len(batch)
            finally:
                con.close()
        except sqlite3.Error as e:
            self.failed += 1
            log.error("kline sync: %d candle(s) not stored: %s", len(batch), e)

    def close(self, timeout_s: float = 1.0) -> None:
        if self._thread is not None:
            self._q.put_nowait(None)
            self._thread.join(timeout_s)

    def _writer(self) -> None:
        con = sqlite3.connect(self.path, timeout=DB_TIMEOUT_S, check_same_thread=False)
        con.execute("PRAGMA journal_mode=WAL")
        con.execute(f"PRAGMA busy_timeout={int(DB_TIMEOUT_S * 1000)}")
        pending: list[tuple[int, str, str]] = []
        while True:
            item = self._q.get()
            if item is None:
                break
            pending.append(item)
            while not self._q.empty():
                nxt = self._q.get_nowait()
                if nxt is None:
                    self._flush(con, pending)
                    con.close()
                    return
                pending.append(nxt)
            while pending and not self._flush(con, pending):
                time.sleep(RETRY_S)  # the writer thread waits; the event loop does not
        self._flush(con, pending)
        con.close()

    def _flush(self, con: sqlite3.Connection, rows: list[tuple[int, str, str]]) -> bool:
        if not rows:
            return True
        try:
            con.executemany(INSERT, rows)
            con.commit()
        except sqlite3.Error as e:
            self.failed += 1
            log.warning("journal: %d row(s) wait for the database (%s)", len(rows), e)
            try:
                con.rollback()
            except sqlite3.Error:
                pass
            return False
        self.written += len(rows)
        rows.clear()
        return True
