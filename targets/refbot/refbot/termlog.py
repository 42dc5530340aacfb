"""The terminal log handler: log records to stderr, and what happens when stderr goes away.

000_2ae31cbfe79758d1.txt#E-H2: the audited writer wrapped every terminal write in a bare
`except: pass`, so when the journal or terminal died the bot's output vanished while it reported
success. Acceptance: "When the underlying stream write fails, a warning is logged to the SQLite
sink. The suppression is narrowed to only BrokenPipeError."

Hardened: the first BrokenPipeError (the reader is gone for good) stops terminal writes, logs a
WARNING that the operator log (STATE_DIR/refbot-ops.log, refbot/opslog.py) still receives, and
lowers that log's level to INFO so nothing more is lost; the records dropped meanwhile are counted
and the count logged at shutdown (report_dropped, before the operator log closes). Any other write error is reported the same way but writing goes
on. At shutdown fd 2 is pointed at /dev/null so the interpreter's final flush cannot fail either
(CPython exits 120 when it does).

Flaw terminal-write-failures-silent: every failed write is swallowed; nothing says the terminal
log is gone.
"""

from __future__ import annotations

import logging
import os
import sys
from typing import TextIO

log = logging.getLogger("refbot.termlog")


class TerminalHandler(logging.StreamHandler):
    def __init__(self, stream: TextIO, *, silent: bool = False) -> None:
        super().__init__(stream)
        self.silent = silent
        self.broken = False  # the reader is gone: no more writes
        self.dropped = 0
        self._reporting = False

    def emit(self, record: logging.LogRecord) -> None:
        if self.broken:
            self.dropped += 1
            return
        try:
            msg = self.format(record)
            self.stream.write(msg + self.terminator)
            self.flush()
        except RecursionError:
            raise
        except Exception as e:  # noqa: BLE001 - decided below
            self._failed(e, record)

    def _failed(self, e: Exception, record: logging.LogRecord) -> None:
        self.dropped += 1
        if self.silent:
            return  # FLAW 000_2ae31cbfe79758d1.txt#E-H2: swallowed, nobody is told
        if isinstance(e, BrokenPipeError):
            self.broken = True
        if self._reporting:
            return
        self._reporting = True
        try:
            # FIX 000_2ae31cbfe79758d1.txt#E-H2: say so where it can still be read, and keep INFO there.
            log.warning(
                "terminal log output failed on stderr (%s: %s): %s; INFO and above now go to the operator log",
                type(e).__name__,
                e,
                "writes stopped" if self.broken else "still trying",
            )
            handlers = logging.getLogger().handlers
            passed = handlers[: handlers.index(self)] if self in handlers else []
            for h in handlers:
                if h is not self and isinstance(h, logging.FileHandler) and h.level > logging.INFO:
                    h.setLevel(logging.INFO)
                    # The record that failed is not lost either: handlers after this one get it next anyway.
                    if h in passed and logging.INFO <= record.levelno < logging.WARNING:
                        h.handle(record)
        finally:
            self._reporting = False

    def report_dropped(self) -> None:
        if self.dropped and not self.silent:
            log.warning("terminal log output: %d record(s) could not be written to stderr", self.dropped)

    def close_out(self) -> None:
        """At exit: make the interpreter's final stderr flush harmless once the reader is gone."""
        if self.broken:
            try:
                devnull = os.open(os.devnull, os.O_WRONLY)
                os.dup2(devnull, sys.stderr.fileno())
                os.close(devnull)
            except (OSError, ValueError):
                pass


def report_dropped() -> None:
    """Logs how many records the terminal lost (call while the operator log is still attached)."""
    for h in logging.getLogger().handlers:
        if isinstance(h, TerminalHandler):
            h.report_dropped()


def install(level: int, fmt: str, *, silent: bool) -> TerminalHandler:
    handler = TerminalHandler(sys.stderr, silent=silent)
    handler.setFormatter(logging.Formatter(fmt))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(level)
    return handler
