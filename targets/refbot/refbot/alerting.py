"""Alerting the operator when the kill switch halts the bot (operator-visibility).

A halt is only a protection if someone learns of it: the kill switch hands a "halt" alert to the
alert worker (refbot/graceful.py AlertWorker), which delivers it to STATE_DIR/refbot-alerts.jsonl
and prints it as {"probe":"alert","kind":"halt","text":...}, the alert sink the harness records.

Hardened (flaw off): the alert goes straight onto the worker's queue (queue.Queue is thread-safe),
from whatever thread or task raised the halt.

Flaw halt-alert-lost (001_0474a2fd1532b929.txt#H4, #C6): as in the audited AlertManager, the kill
switch sends its alert from a thread of its own through asyncio.get_event_loop(), which has no
event loop in that thread and raises; the error is swallowed (logged at DEBUG only) and the alert
is dropped. The halt itself still happens; nobody is told. Dormant until a halt.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from typing import Any, Callable

from . import flaws

log = logging.getLogger("refbot.alerting")


def send_halt_alert(cfg: Any, alert: Callable[[str, str], None], text: str) -> threading.Thread | None:
    """Hands a halt alert to the alert worker; returns the sender thread on the flawed path (tests join it)."""
    if not cfg.flags.has(flaws.HALT_ALERT_LOST):
        # FIX 001_0474a2fd1532b929.txt#H4: a thread-safe hand-off, no event loop needed.
        alert("halt", text)
        return None

    def deliver_from_kill_switch_thread() -> None:
        try:
            # FLAW 001_0474a2fd1532b929.txt#H4 / #C6: get_event_loop() in a thread without a loop
            # raises RuntimeError; the alert never reaches the worker.
            loop = asyncio.get_event_loop()
            loop.call_soon_threadsafe(alert, "halt", text)
        except RuntimeError as e:
            log.debug("alert dropped: %s", e)

    t = threading.Thread(target=deliver_from_kill_switch_thread, name="killswitch-alert", daemon=True)
    t.start()
    return t
