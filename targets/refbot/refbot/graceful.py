"""Runner lifecycle, the alert worker thread, and the clean stop on SIGTERM/SIGINT (clean-sigterm).

Hardened stop: the trader task is already cancelled (no new risk); then every open order the bot
placed on the symbol is cancelled with a targeted DELETE (never anyone else's: refbot/ownorders.py), in-flight orders are given a moment to settle,
and the position is closed with one reduce-only MARKET order; the alert worker gets a sentinel and
is joined. All of it is bounded (STOP_BUDGET_S) so the process exits 0 well within its grace.

Flaws (each dormant until the bot is asked to stop):
- no-close-on-stop (001_0474a2fd1532b929.txt#on-stop-leaves-positions-unprotected-no-close-no):
  the stop cancels orders and exits, leaving the position neither closed nor protected.
- alert-worker-never-stops (000_2ae31cbfe79758d1.txt#S-M3, 004_8a8a9a4995486b8f.txt#C-SERV-02):
  the alert worker is a non-daemon `while True: queue.get()` thread without a stop condition,
  never signalled nor joined, so the interpreter hangs at exit waiting for it.
- error-state-blocks-stop (003_a7371304fd1017c8.txt#invalid-state-transition-cleanup-gap-stop-requires-transition):
  the transition map has no ERROR -> STOPPING, so stop() from ERROR raises and the cleanup
  (cancel, close) is skipped.
- shutdown-join-under-lock (004_8a8a9a4995486b8f.txt#C-SERV-04): the worker threads are joined
  (no timeout) under the registry lock their exit path needs: the stop hangs after its cleanup
  (refbot/workers.py).
- shutdown-lock-inversion (004_8a8a9a4995486b8f.txt#H-SERV-05): the stop holds its lock while it
  publishes the STOPPING transition, whose handler takes the same lock: the event loop thread
  deadlocks before the cleanup and the process hangs past its grace.
"""

from __future__ import annotations

import asyncio
import logging
import os
import queue
import threading
import time
from decimal import Decimal
from typing import Any

from . import flaws, probes
from .alert_webhook import post_alert
from .alertfile import RETRY_S, AlertFile
from .config import Config
from .ownorders import cancel_own_orders
from .rest import BinanceError
from .state import AccountState, ClientIds
from .workers import Workers

log = logging.getLogger("refbot.graceful")

STOP_BUDGET_S = 1.5  # venue cleanup; the listenKey delete and session close follow within the 4.5 s watchdog
SETTLE_S = 0.5  # how long in-flight orders may take to report before the position is closed
JOIN_S = 1.0
# Account-level rejections after which the runner cannot trade on: it enters ERROR and stays
# there (no new orders) until an operator restarts it.
FATAL_REJECT_CODES = frozenset({-2019, -2015, -2014})

TRANSITIONS: dict[str, frozenset[str]] = {
    "STARTING": frozenset({"RUNNING", "ERROR", "STOPPING"}),
    "RUNNING": frozenset({"ERROR", "STOPPING"}),
    "ERROR": frozenset({"STOPPING"}),
    "STOPPING": frozenset({"STOPPED"}),
    "STOPPED": frozenset(),
}


class InvalidTransition(RuntimeError):
    pass


class Lifecycle:
    def __init__(self, cfg: Config) -> None:
        self.state = "STARTING"
        self.allowed = dict(TRANSITIONS)
        if cfg.flags.has(flaws.ERROR_STATE_BLOCKS_STOP):
            # FLAW 003_a7371304fd1017c8.txt#invalid-state-transition-cleanup-gap-stop-requires-transition:
            # the transition map disallows ERROR -> STOPPING.
            self.allowed["ERROR"] = frozenset()
        self.on_change: Any = None  # callable(state, reason) for the alert worker
        self.on_error: Any = None  # callable(reason) once the runner enters ERROR: clean up (refbot/bot.py)

    def to(self, new: str, reason: str = "") -> None:
        if new not in self.allowed[self.state]:
            raise InvalidTransition(f"invalid state transition {self.state} -> {new}")
        log.info("runner %s -> %s %s", self.state, new, reason)
        self.state = new
        probes.emit("lifecycle", state=new, reason=reason)
        if self.on_change:
            self.on_change(new, reason)
        if new == "ERROR" and self.on_error:
            self.on_error(reason)

    @property
    def trading(self) -> bool:
        return self.state == "RUNNING"

    def on_rejected(self, e: Exception) -> None:
        if isinstance(e, BinanceError) and e.code in FATAL_REJECT_CODES and self.state == "RUNNING":
            self.to("ERROR", f"order rejected {e.code}: {e.msg}")


class AlertWorker:
    """Delivers alerts (lifecycle changes) from a queue on its own thread, to STATE_DIR/refbot-alerts.jsonl."""

    def __init__(self, cfg: Config) -> None:
        self.path = os.path.join(cfg.state_dir, "refbot-alerts.jsonl") if cfg.state_dir else None
        # Alerts the file could not take yet stay pending (refbot/alertfile.py).
        self.file = AlertFile(self.path, drop_on_error=cfg.flags.has(flaws.ALERT_WRITE_ERROR_DROPS_PENDING))
        self.webhook = cfg.alert_webhook_url
        self.never_stops = cfg.flags.has(flaws.ALERT_WORKER_NEVER_STOPS)
        self.q: queue.Queue[dict | None] = queue.Queue()
        self.thread: threading.Thread | None = None
        self.on_exit: Any = None  # called from the worker thread as it exits (refbot/workers.py)

    def start(self) -> None:
        # Non-daemon either way: alerts must not be cut off mid-write; the hardened stop joins it.
        self.thread = threading.Thread(target=self._run, name="alert-worker", daemon=False)
        self.thread.start()

    def alert(self, kind: str, text: str) -> None:
        self.q.put({"atMs": int(time.time() * 1000), "kind": kind, "text": text})

    def _deliver(self, item: dict) -> None:
        probes.emit("alert", kind=item["kind"], text=item["text"])  # the operator's alert sink
        self.file.write(item)
        if self.webhook:
            post_alert(self.webhook, f"{item['kind']}: {item['text']}")  # refbot/alert_webhook.py

    def _run(self) -> None:
        try:
            self._loop()
        finally:
            if self.on_exit:
                self.on_exit()

    def _loop(self) -> None:
        while True:
            try:
                # With alerts pending for the file, wake up to retry it (refbot/alertfile.py).
                item = self.q.get(timeout=RETRY_S if self.file.pending else None)
            except queue.Empty:
                self.file.flush()
                continue
            if item is None and not self.never_stops:
                self.file.flush(final=True)
                return  # the sentinel: every alert queued before it has been delivered
            if item is None:
                # FLAW 000_2ae31cbfe79758d1.txt#S-M3 / 004_8a8a9a4995486b8f.txt#C-SERV-02: no
                # termination condition; the loop waits for the next alert forever.
                continue
            try:
                self._deliver(item)
            except OSError as e:
                log.warning("alert not delivered: %s", e)

    def stop(self, join_s: float | None = JOIN_S) -> None:
        if self.thread is None:
            return
        if self.never_stops:
            log.info("alert worker left running")  # FLAW: neither signalled nor joined
            return
        self.q.put(None)
        self.thread.join(join_s)
        if self.thread.is_alive():
            log.warning("alert worker did not stop within %.1f s", join_s)


class GracefulStop:
    def __init__(self, cfg: Config) -> None:
        self.cfg = cfg
        self.lifecycle = Lifecycle(cfg)
        self.alerts = AlertWorker(cfg)
        self.workers = Workers(cfg.flags.flaws)
        self.alerts.on_exit = lambda: self.workers.unregister(self.alerts)
        # Guards the stop bookkeeping (stopping flag, last published state). Not reentrant.
        self._lock = threading.Lock()
        self.stopping = False
        self.last_state = self.lifecycle.state
        self.lifecycle.on_change = self._on_change

    def _on_change(self, state: str, reason: str) -> None:
        """The lifecycle event's handler: record the state under the lock, then queue the alert."""
        with self._lock:
            self.last_state = state
        self.alerts.alert("lifecycle", f"{state} {reason}".strip())

    def _begin_stop(self) -> None:
        """Mark the stop and publish RUNNING/ERROR -> STOPPING (raises InvalidTransition)."""
        if self.cfg.flags.has(flaws.SHUTDOWN_LOCK_INVERSION):
            # FLAW 004_8a8a9a4995486b8f.txt#H-SERV-05: the lock is held while the transition is
            # published; its handler (_on_change) takes the same lock on the same thread: deadlock.
            with self._lock:
                self.stopping = True
                self.lifecycle.to("STOPPING", "signal")
            return
        # FIX 004_8a8a9a4995486b8f.txt#H-SERV-05: update under the lock, publish after releasing it.
        with self._lock:
            self.stopping = True
        self.lifecycle.to("STOPPING", "signal")

    def running(self) -> None:
        """The bot is ready and starts trading (the alert worker starts with it)."""
        if self.lifecycle.state == "STARTING":
            self.alerts.start()
            self.workers.register(self.alerts)
            self.lifecycle.to("RUNNING", "ready")

    async def stop(self, rest: Any, state: AccountState, ids: ClientIds, symbol: str) -> None:
        """Called after the trader task is cancelled. Never raises."""
        try:
            traded = self.lifecycle.state in ("RUNNING", "ERROR")
            try:
                self._begin_stop()
            except InvalidTransition as e:
                log.error("stop: %s; skipping order cancel and position close", e)
                return
            if traded and rest is not None:
                try:
                    await asyncio.wait_for(self._close_out(rest, state, ids, symbol), STOP_BUDGET_S)
                except Exception as e:
                    log.error("stop: cleanup failed: %s: %s", type(e).__name__, e)
            self.lifecycle.to("STOPPED")
        except Exception as e:
            log.error("stop failed: %s: %s", type(e).__name__, e)
        finally:
            self.workers.stop_all(JOIN_S)  # the alert worker (refbot/workers.py)

    async def _close_out(self, rest: Any, state: AccountState, ids: ClientIds, symbol: str) -> None:
        try:
            sent = await cancel_own_orders(rest, self.cfg, symbol, ids.prefix)  # own orders only (refbot/ownorders.py)
            log.info("stop: %d cancel(s) of own open orders of %s sent", sent, symbol)
        except Exception as e:
            log.warning("stop: cancelling open orders failed: %s", e)
        if self.cfg.flags.has(flaws.NO_CLOSE_ON_STOP):
            # FLAW 001_0474a2fd1532b929.txt#on-stop-leaves-positions-unprotected-no-close-no: no close, no stop.
            log.info("stop: leaving position %s %s as it is", state.position, symbol)
            return
        # FIX 001_0474a2fd1532b929.txt#on-stop-leaves-positions-unprotected-no-close-no: close it.
        end = time.monotonic() + SETTLE_S
        while state.in_flight() and time.monotonic() < end:
            await asyncio.sleep(0.02)
        await self._close(rest, state, ids, symbol, state.position)

    async def _close(self, rest: Any, state: AccountState, ids: ClientIds, symbol: str, position: Decimal, retried: bool = False) -> None:
        if position == 0:
            log.info("stop: flat, nothing to close")
            return
        side, qty = ("SELL" if position > 0 else "BUY"), abs(position)
        cid = ids.next()
        probes.order(cid, side, float(qty), True, None, "none")
        log.info("stop: closing position %s %s with reduce-only %s %s (%s)", position, symbol, side, qty, cid)
        try:
            await rest.new_market_order(symbol, side, str(qty), True, cid)
        except BinanceError as e:
            if retried or e.code != -2022:
                raise
            # ReduceOnly rejected: the tracked position was stale; ask the venue and close what it says.
            rows = await rest.position_risk(symbol)
            amt = sum((Decimal(str(r.get("positionAmt", "0"))) for r in rows or [] if r.get("symbol") == symbol), Decimal(0))
            await self._close(rest, state, ids, symbol, amt, retried=True)
