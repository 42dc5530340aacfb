"""The operator's log: warnings and errors also go to STATE_DIR/refbot-ops.log, and GET /status on
the control API shows its last TAIL_LINES lines (`recentLog`), the dashboard's log panel.

The file grows for as long as the bot runs (and whatever else appends to it: a log shipper, an
earlier run), so it can be of any size.

Hardened (fix for 004_8a8a9a4995486b8f.txt#M-UI-01, "reads entire log file before truncating";
solution "read only last N lines efficiently with seek"): the tail is read from the end of the
file, at most TAIL_BYTES (64 KiB), whatever the file's size.

Flaw log-tail-reads-whole-file (same finding: "2-5 s freezes, 100MB+ memory spikes"): every
status request reads the whole file into memory, splits it into lines and keeps the last ones.
Dormant while the log is small.
"""

from __future__ import annotations

import logging
import os

OPS_LOG = "refbot-ops.log"
TAIL_LINES = 20
TAIL_BYTES = 64 * 1024


def attach(state_dir: str | None) -> tuple[str | None, logging.Handler | None]:
    """Adds the WARNING+ file handler; returns the file's path and the handler (detach() it)."""
    if not state_dir:
        return None, None
    path = os.path.join(state_dir, OPS_LOG)
    h = logging.FileHandler(path, encoding="utf-8", delay=True)
    h.setLevel(logging.WARNING)
    h.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.getLogger().addHandler(h)
    return path, h


def detach(h: logging.Handler | None) -> None:
    if h is not None:
        logging.getLogger().removeHandler(h)
        h.close()


def tail(path: str | None, read_whole: bool, lines: int = TAIL_LINES) -> list[str]:
    """The last `lines` lines of the operator's log ([] when there is none)."""
    if path is None:
        return []
    try:
        if read_whole:
            # FLAW 004_8a8a9a4995486b8f.txt#M-UI-01: the whole file, every time.
            with open(path, encoding="utf-8", errors="replace") as f:
                return f.read().splitlines()[-lines:]
        # FIX 004_8a8a9a4995486b8f.txt#M-UI-01: seek to the end, read at most TAIL_BYTES.
        with open(path, "rb") as f:
            f.seek(0, os.SEEK_END)
            size = f.tell()
            f.seek(max(0, size - TAIL_BYTES))
            chunk = f.read(TAIL_BYTES)
        text = chunk.decode("utf-8", errors="replace").splitlines()
        if size > TAIL_BYTES and text:
            text = text[1:]  # the first line may be cut
        return text[-lines:]
    except OSError:
        return []
