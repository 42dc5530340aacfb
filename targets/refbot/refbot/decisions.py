"""The operator's decision file STATE_DIR/refbot-decision.json, polled while the bot runs.

An operator (or an upstream model) drops a JSON object there; the bot loads it when the file
changes and keeps the current decision for its status (`decision` probe with its keys). Like the
audited KernelDecisionFileProvider, whatever writes the file is outside the bot's control, so the
file can be of any size.

Hardened (fix for 000_2ae31cbfe79758d1.txt#E-L3, acceptance "add size check before reading"): the
file's size is checked with stat() before it is opened; a file larger than MAX_BYTES (64 KiB) is
rejected unread (logged and probed once per version of the file) and the previous decision stays.

Flaw decision-file-read-whole (000_2ae31cbfe79758d1.txt#E-L3): `_load_raw` reads the whole file
and parses it, without a size limit, and keeps the loaded document (its text and parsed form) as
the current decision: an oversized file is held in memory for as long as it stays there.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
from typing import Any

from . import probes

log = logging.getLogger("refbot.decisions")

DECISION_FILE = "refbot-decision.json"
MAX_BYTES = 64 * 1024
POLL_S = 0.5


class DecisionFile:
    def __init__(self, state_dir: str, read_whole: bool) -> None:
        self.path = os.path.join(state_dir, DECISION_FILE)
        self.read_whole = read_whole
        self.decision: dict[str, Any] = {}
        self.raw: str | None = None  # the flawed provider keeps the text it loaded
        self.rejected = 0
        self._seen: tuple[float, int] | None = None  # (mtime, size) of the version last handled

    def _load_raw(self) -> str:
        if self.read_whole:
            # FLAW 000_2ae31cbfe79758d1.txt#E-L3: read whole, no size limit.
            with open(self.path, encoding="utf-8", errors="replace") as f:
                return f.read()
        # FIX 000_2ae31cbfe79758d1.txt#E-L3: the size is checked before reading, and the read is bounded.
        size = os.stat(self.path).st_size
        if size > MAX_BYTES:
            raise ValueError(f"{size} bytes, above the {MAX_BYTES}-byte limit")
        with open(self.path, encoding="utf-8", errors="replace") as f:
            return f.read(MAX_BYTES + 1)

    def poll(self) -> None:
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            self._seen = None
            return
        version = (st.st_mtime, st.st_size)
        if version == self._seen:
            return
        self._seen = version
        try:
            raw = self._load_raw()
            doc = json.loads(raw)
            if not isinstance(doc, dict):
                raise ValueError("not a JSON object")
        except (OSError, ValueError) as e:
            self.rejected += 1
            log.error("decision file %s rejected (%s); keeping the previous decision", self.path, e)
            probes.emit("decision", accepted=False, bytes=st.st_size)
            return
        if self.read_whole:
            self.raw = raw
        self.decision = doc
        log.info("decision file loaded (%d bytes): keys %s", st.st_size, ",".join(sorted(doc))[:200])
        probes.emit("decision", accepted=True, bytes=st.st_size)

    async def run(self) -> None:
        while True:
            await asyncio.sleep(POLL_S)
            try:
                self.poll()
            except Exception as e:  # a broken file never stops the bot
                log.error("decision file poll failed: %s: %s", type(e).__name__, e)
