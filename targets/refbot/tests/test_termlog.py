"""Terminal log failures are reported in the operator log (000_2ae31cbfe79758d1.txt#E-H2)."""

from __future__ import annotations

import io
import logging
import os

import pytest

from refbot.termlog import TerminalHandler


class Broken(io.StringIO):
    def __init__(self, exc: Exception) -> None:
        super().__init__()
        self.exc = exc
        self.fail = False
        self.attempts = 0

    def write(self, s: str) -> int:
        if self.fail:
            self.attempts += 1
            raise self.exc
        return super().write(s)


@pytest.fixture
def logs(tmp_path):
    """The root logger with a terminal handler over a breakable stream and a WARNING file handler (the operator log)."""
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    root.handlers.clear()
    root.setLevel(logging.INFO)
    ops = logging.FileHandler(tmp_path / "ops.log", encoding="utf-8")
    ops.setLevel(logging.WARNING)
    root.addHandler(ops)

    def make(exc: Exception = BrokenPipeError(32, "Broken pipe"), silent: bool = False):
        stream = Broken(exc)
        term = TerminalHandler(stream, silent=silent)
        root.addHandler(term)
        return stream, term, lambda: (ops.flush(), (tmp_path / "ops.log").read_text())[1] if (tmp_path / "ops.log").exists() else ""

    yield make
    for h in root.handlers:
        if h not in saved[0]:
            h.close()
    root.handlers[:] = saved[0]
    root.setLevel(saved[1])


def test_a_broken_pipe_is_reported_in_the_operator_log_which_then_keeps_info(logs):
    stream, term, ops = logs()
    log = logging.getLogger("refbot.x")
    log.info("before")
    assert "before" in stream.getvalue()
    stream.fail = True
    log.info("order 1 sent")
    log.info("order 2 sent")
    text = ops()
    assert "terminal log output failed on stderr (BrokenPipeError" in text and "writes stopped" in text
    assert text.count("order 1 sent") == 1  # the record whose write failed is kept there, once
    assert "order 2 sent" in text  # and INFO now reaches the operator log
    assert term.broken and stream.attempts == 1  # no more writes after the pipe broke
    term.report_dropped()
    assert "3 record(s) could not be written to stderr" in ops()  # the two orders and the warning itself


def test_other_write_errors_are_reported_once_and_writing_goes_on(logs):
    stream, term, ops = logs(OSError(5, "Input/output error"))
    stream.fail = True
    logging.getLogger("refbot.x").info("a")
    logging.getLogger("refbot.x").info("b")
    assert ops().count("terminal log output failed on stderr (OSError") == 2
    assert not term.broken and stream.attempts >= 2


def test_flaw_terminal_write_failures_silent_tells_nobody(logs):
    stream, term, ops = logs(silent=True)
    stream.fail = True
    logging.getLogger("refbot.x").warning("order 1 rejected")
    logging.getLogger("refbot.x").info("order 2 sent")
    term.report_dropped()
    text = ops()
    assert "terminal" not in text
    assert "order 2 sent" not in text  # INFO lost for good


def test_close_out_points_stderr_fd_at_devnull_once_broken(monkeypatch):
    r, w = os.pipe()
    try:
        monkeypatch.setattr("sys.stderr", type("E", (), {"fileno": lambda self: w})())
        term = TerminalHandler(io.StringIO())
        term.close_out()  # not broken: untouched
        os.write(w, b"x")
        assert os.read(r, 10) == b"x"
        term.broken = True
        term.close_out()
        assert os.write(w, b"y") == 1  # fd w is /dev/null now: the pipe's only writer is gone
        assert os.read(r, 10) == b""
    finally:
        os.close(w)
        os.close(r)


def test_the_failed_record_reaches_an_operator_log_attached_after_the_terminal_once(tmp_path):
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    root.handlers.clear()
    root.setLevel(logging.INFO)
    try:
        ops = logging.FileHandler(tmp_path / "ops.log", encoding="utf-8")
        ops.setLevel(logging.WARNING)
        stream = Broken(BrokenPipeError(32, "Broken pipe"))
        root.addHandler(TerminalHandler(stream))  # as in refbot: the terminal first, the operator log later
        root.addHandler(ops)
        stream.fail = True
        logging.getLogger("refbot.x").info("order 1 sent")
        ops.flush()
        assert (tmp_path / "ops.log").read_text().count("order 1 sent") == 1
    finally:
        for h in root.handlers:
            h.close()
        root.handlers[:] = saved[0]
        root.setLevel(saved[1])
