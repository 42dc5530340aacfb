"""The alert file, STATE_DIR/refbot-alerts.jsonl: one JSON object per alert, appended by the alert
worker (refbot/graceful.py AlertWorker), and what happens when it cannot be written.

000_2ae31cbfe79758d1.txt#E-L6: the audited event logger cleared its pending batch on a write error,
losing the events. Acceptance: "Move items back to queue on error, or log count of lost items."

Hardened: an alert that cannot be written stays pending (in order, at most MAX_PENDING; beyond that
the oldest are dropped and counted); the worker retries every RETRY_S and before each new alert.
The first failure is logged with the error; when the file takes writes again, the pending alerts
are written and the log says how many; alerts still pending at stop are logged as lost, with their
count and texts.

Flaw alert-write-error-drops-pending: an alert whose write fails is dropped, logged at DEBUG only.
"""

from __future__ import annotations

import json
import logging

log = logging.getLogger("refbot.alertfile")

RETRY_S = 1.0
MAX_PENDING = 1000


class AlertFile:
    def __init__(self, path: str | None, *, drop_on_error: bool = False) -> None:
        self.path = path
        self.drop_on_error = drop_on_error
        self.pending: list[dict] = []
        self.lost = 0  # dropped beyond MAX_PENDING

    def write(self, item: dict) -> None:
        if not self.path:
            return
        self.pending.append(item)
        if len(self.pending) > MAX_PENDING:
            self.pending.pop(0)
            self.lost += 1
        self.flush()

    def flush(self, final: bool = False) -> bool:
        """Writes every pending alert; True when none is left pending."""
        if not self.path or not self.pending:
            return True
        waiting = len(self.pending)
        try:
            with open(self.path, "a") as f:
                for item in self.pending:
                    f.write(json.dumps(item) + "\n")
        except OSError as e:
            if self.drop_on_error:
                # FLAW 000_2ae31cbfe79758d1.txt#E-L6: the batch is cleared on the error; nobody is told.
                log.debug("alert file write failed: %s", e)
                self.pending.clear()
                return True
            if final:
                texts = "; ".join(f"{i['kind']}: {i['text']}" for i in self.pending)
                log.warning("alert file %s still unwritable at stop (%s): %d alert(s) lost: %s", self.path, e, len(self.pending) + self.lost, texts)
            elif waiting == 1 or self.lost:
                log.warning("alert file %s unwritable (%s): %d alert(s) pending, retrying every %.1f s", self.path, e, waiting, RETRY_S)
            return False
        if waiting > 1 or self.lost:
            log.warning("alert file %s writable again: %d pending alert(s) written, %d lost", self.path, waiting, self.lost)
        self.pending.clear()
        self.lost = 0
        return True
