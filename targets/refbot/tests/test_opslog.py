"""The dashboard's log panel reads only the tail of the operator log (004_8a8a9a4995486b8f.txt#M-UI-01).

Hardened: seek to the end, at most TAIL_BYTES read, whatever the size. Flaw log-tail-reads-whole-file:
the whole file is read on every request.
"""

from __future__ import annotations

import builtins
import logging

import pytest

from refbot import opslog


@pytest.fixture
def big_log(tmp_path):
    p = tmp_path / opslog.OPS_LOG
    with open(p, "w") as f:
        for i in range(50_000):
            f.write(f"2026-11-22 WARNING refbot.x: line {i}\n")
    return str(p)


def reads(monkeypatch) -> list[int]:
    """Bytes asked for by each read() of the files opened in the test."""
    sizes: list[int] = []
    real_open = builtins.open

    def spy_open(*a, **k):
        f = real_open(*a, **k)
        real_read = f.read

        def read(n=-1):
            out = real_read(n)
            sizes.append(len(out))
            return out

        f.read = read
        return f

    monkeypatch.setattr(builtins, "open", spy_open)
    return sizes


def test_hardened_reads_only_the_tail(big_log, monkeypatch):
    sizes = reads(monkeypatch)
    out = opslog.tail(big_log, read_whole=False)
    assert out == [f"2026-11-22 WARNING refbot.x: line {i}" for i in range(49_980, 50_000)]
    assert sum(sizes) <= opslog.TAIL_BYTES


def test_flaw_reads_the_whole_file(big_log, monkeypatch):
    sizes = reads(monkeypatch)
    out = opslog.tail(big_log, read_whole=True)
    assert out[-1] == "2026-11-22 WARNING refbot.x: line 49999" and len(out) == 20
    assert sum(sizes) > 1_000_000


def test_short_and_missing_logs(tmp_path):
    p = tmp_path / opslog.OPS_LOG
    p.write_text("a\nb\n")
    assert opslog.tail(str(p), read_whole=False) == ["a", "b"]
    assert opslog.tail(str(tmp_path / "none.log"), read_whole=False) == []
    assert opslog.tail(None, read_whole=False) == []


def test_attach_writes_warnings_and_detach_closes(tmp_path):
    path, h = opslog.attach(str(tmp_path))
    try:
        logging.getLogger("refbot.test").warning("disk is %s", "fine")
        logging.getLogger("refbot.test").info("not for the operator")
    finally:
        opslog.detach(h)
    text = open(path).read()
    assert "WARNING refbot.test: disk is fine" in text and "not for the operator" not in text
    assert h not in logging.getLogger().handlers
    assert opslog.attach(None) == (None, None)
