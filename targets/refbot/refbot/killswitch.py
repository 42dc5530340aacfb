"""Kill switch / circuit breaker: halts new risk, on every order path, across restarts.

Triggers (each halts new risk; reduce-only exits stay allowed):
- the operator's kill file STATE_DIR/refbot.kill: halted while it exists (polled every
  WATCH_S by a task, and again right before any order is sent);
- REFBOT_HALT_AFTER_REJECTS consecutive definite order rejections (a 4xx answer from the venue;
  not a rate limit, not -1021, which have their own handling): the circuit breaker. It counts
  orders, not requests: an intent whose send failed with an unknown outcome is looked up and
  re-sent (refbot/strategy.py) and counts once at most, when it ends in a definite rejection
  (fix for 001_0474a2fd1532b929.txt#circuit-breaker-counts-retried-rejections-as-new-errors;
  flaw breaker-counts-retries counts every failed send).

A halt prints {"probe":"halt","reason":...} (the vocabulary of the clock-skew halt in
strategy.py) and lasts at least REFBOT_HALT_COOLDOWN_MS; a kill file extends it to the cooldown
after the file was last seen. Then the bot prints {"probe":"resume","reason":...} and trades on.

Hardened (flaws off):
- every order path asks may_open_risk() right before it sends: the trading tick, and each
  re-send of an intent (strategy.Trader.send), so no retry bypasses a halt
  (fix for 001_0474a2fd1532b929.txt#M1);
- the halt and its deadline are persisted in STATE_DIR/refbot-halt.json (atomic replace) and
  restored at start: a restarted bot stays halted until the cooldown ends
  (fix for 001_0474a2fd1532b929.txt#M9: the protection does not start over after a restart).

Flaws (each dormant until a halt happens):
- retry-bypasses-halt (001_0474a2fd1532b929.txt#M1): the re-send of an intent (the retry path)
  goes out without asking the halt gate; only the trading tick checks it.
- halt-not-persisted (001_0474a2fd1532b929.txt#M9): the halt lives in memory only; a restart
  starts un-halted and trades at once.
- operator-halt-not-persisted (002_3e6ca2bf6dfde12d.txt#runtime-overrides-not-persisted): the
  operator's runtime halt (control API POST /halt, operator_halt()) is applied in memory only; a
  restart during its cooldown drops it.
- kill-switch-start-failure-swallowed (001_0474a2fd1532b929.txt#C5): when the kill switch cannot
  start (its persisted state is unreadable), the error is logged and the bot trades without it.
  Hardened fails closed: the file is set aside and the bot halts for a full cooldown, then prints
  a resume without a reason (whatever halt the lost state held is over too).
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import time
from typing import Any, Callable

from . import flaws, probes
from .alerting import send_halt_alert
from .rest import BinanceError

log = logging.getLogger("refbot.killswitch")

KILL_FILE = "refbot.kill"
HALT_FILE = "refbot-halt.json"
WATCH_S = 0.25
# Rejections the breaker does not count: rate limits (Retry-After, refbot/outbound.py) and the
# clock (-1021, its own halt in strategy.py) are not verdicts on the order.
NOT_COUNTED = frozenset({-1003, -1015, -1021})
UNREADABLE = "halt-state-unreadable"


def counts_as_reject(e: BaseException) -> bool:
    return isinstance(e, BinanceError) and 400 <= e.status < 500 and e.status not in (408, 418, 429) and e.code not in NOT_COUNTED


class KillSwitch:
    def __init__(self, cfg: Any, clock: Callable[[], float] = time.time) -> None:
        self.state_dir: str | None = cfg.state_dir
        self.after_rejects: int = cfg.halt_after_rejects
        self.cooldown_s: float = cfg.halt_cooldown_ms / 1000.0
        self.persist = not cfg.flags.has(flaws.HALT_NOT_PERSISTED)
        self.swallow_start_failure = cfg.flags.has(flaws.KILL_SWITCH_START_FAILURE_SWALLOWED)
        self.disabled = False  # only with that flaw, after a failed start
        self.gate_retries = not cfg.flags.has(flaws.RETRY_BYPASSES_HALT)
        # Flaw operator-halt-not-persisted: the control API's halt is a runtime override kept in memory.
        self.persist_operator_halt = not cfg.flags.has(flaws.OPERATOR_HALT_NOT_PERSISTED)
        self.clock = clock  # wall clock: the deadline must mean the same after a restart
        self.reason: str | None = None
        self.until = 0.0
        self.rejects = 0
        self.cfg = cfg
        self.alert: Callable[[str, str], None] | None = None  # the alert worker's hand-off (refbot/alerting.py)
        self.on_halt: Callable[[str], None] | None = None  # a halt begins: cancel working orders (refbot/haltcancel.py)

    # -- files ---------------------------------------------------------------------------
    def _path(self, name: str) -> str | None:
        return os.path.join(self.state_dir, name) if self.state_dir else None

    def kill_file_present(self) -> bool:
        p = self._path(KILL_FILE)
        return p is not None and os.path.exists(p)

    def _save(self) -> None:
        p = self._path(HALT_FILE)
        if not self.persist or p is None:
            return  # FLAW 001_0474a2fd1532b929.txt#M9 (halt-not-persisted): memory only
        tmp = p + ".tmp"
        with open(tmp, "w") as f:
            json.dump({"reason": self.reason, "untilMs": int(self.until * 1000)}, f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, p)

    def _clear(self) -> None:
        p = self._path(HALT_FILE)
        if p is not None and os.path.exists(p):
            os.remove(p)

    def restore(self) -> None:
        """At start: a halt persisted by an earlier run of this instance is still in force."""
        p = self._path(HALT_FILE)
        if not self.persist or p is None or not os.path.exists(p):
            return
        try:
            with open(p) as f:
                saved = json.load(f)
            if not isinstance(saved, dict):
                raise ValueError(f"not a JSON object: {saved!r:.40}")
            reason = str(saved.get("reason") or "restored")
            until = float(saved.get("untilMs") or 0) / 1000.0
        except (OSError, ValueError) as e:  # unreadable, torn, not JSON, not UTF-8
            self._start_failed(p, e)
            return
        self.reason, self.until = reason, until
        left = max(0.0, self.until - self.clock())
        log.warning("halt %s restored from %s: %.1f s of cooldown left", self.reason, p, left)
        probes.emit("halt", reason=self.reason, restored=True, cooldownMs=int(left * 1000))

    def _start_failed(self, path: str, e: Exception) -> None:
        if self.swallow_start_failure:
            # FLAW 001_0474a2fd1532b929.txt#C5: the failure is logged at WARNING and the bot goes
            # on without its kill switch: no halt restored, no kill-file watch, no breaker.
            log.warning("kill switch failed to start (%s: %s); continuing without it", type(e).__name__, e)
            self.disabled = True
            return
        # FIX 001_0474a2fd1532b929.txt#C5: fail closed. The halt state cannot be read, so the bot
        # may be in a halt it cannot see: set the file aside and halt for a full cooldown.
        aside = f"{path}.corrupt-{int(self.clock() * 1000)}"
        os.replace(path, aside)
        log.error("kill switch state %s unreadable (%s: %s); moved to %s; halting", path, type(e).__name__, e, aside)
        self.halt(UNREADABLE)

    # -- state -----------------------------------------------------------------------------
    @property
    def halted(self) -> bool:
        return self.reason is not None

    def halt(self, reason: str, **fields: Any) -> None:
        self.until = max(self.until, self.clock() + self.cooldown_s)
        if self.reason is None:
            self.reason = reason
            log.error("HALT (%s): no new risk for at least %.1f s", reason, self.cooldown_s)
            probes.emit("halt", reason=reason, cooldownMs=int(self.cooldown_s * 1000), **fields)
            if self.alert is not None:
                send_halt_alert(self.cfg, self.alert, f"{reason}: no new risk for at least {self.cooldown_s:.1f} s")
            if self.on_halt is not None:
                self.on_halt(reason)
        self._save()

    def operator_halt(self, reason: str) -> None:
        """A halt the operator orders at runtime (control API POST /halt): an override that must
        survive a restart like any other halt (002_3e6ca2bf6dfde12d.txt#runtime-overrides-not-persisted)."""
        if self.persist_operator_halt:
            self.halt(reason)  # FIX: persisted with its deadline, restored at start
            return
        # FLAW 002_3e6ca2bf6dfde12d.txt#runtime-overrides-not-persisted (operator-halt-not-persisted):
        # the override is applied to the running process only; a restart starts without it.
        persist, self.persist = self.persist, False
        try:
            self.halt(reason)
        finally:
            self.persist = persist

    def poll(self) -> None:
        """Re-evaluates the triggers: the kill file (re)arms the halt, an expired cooldown ends it."""
        if self.kill_file_present():
            if self.reason is None or self.clock() + self.cooldown_s - self.until > 1.0:
                self.halt("kill-file")  # re-arms the deadline (saved at most once a second)
            return
        if self.reason is not None and self.clock() >= self.until:
            log.warning("halt %s: cooldown over; resuming", self.reason)
            if self.reason == UNREADABLE:
                # Whatever halt the unreadable state held is over too: a resume without a reason.
                probes.emit("resume", cause=UNREADABLE)
            else:
                probes.emit("resume", reason=self.reason)
            self.reason, self.until, self.rejects = None, 0.0, 0
            self._clear()

    def may_open_risk(self) -> bool:
        if self.disabled:
            return True
        self.poll()
        return not self.halted

    def may_resend(self) -> bool:
        """Asked before every re-send of an intent (the retry path)."""
        if not self.gate_retries:
            # FLAW 001_0474a2fd1532b929.txt#M1: the retry path submits without the halt gate.
            return True
        return self.may_open_risk()

    # -- order outcomes ----------------------------------------------------------------------
    def on_accepted(self) -> None:
        self.rejects = 0

    def on_rejected(self, e: BaseException) -> None:
        if self.disabled or not counts_as_reject(e):
            return
        self._count(e)

    def on_failed_send(self, e: BaseException) -> None:
        """Flaw breaker-counts-retries only: a send whose outcome was unknown (a 5xx, a timeout) and
        that the intent will look up and re-send counts as one more rejection, so one order re-sent
        a few times trips the breaker on its own (001_0474a2fd1532b929.txt#circuit-breaker-counts-retried-rejections-as-new-errors)."""
        if self.disabled or (isinstance(e, BinanceError) and e.code in NOT_COUNTED):
            return
        self._count(e)

    def _count(self, e: BaseException) -> None:
        """One more failure for the breaker; it trips at REFBOT_HALT_AFTER_REJECTS."""
        self.rejects += 1
        if self.rejects >= self.after_rejects and not self.halted:
            self.halt("consecutive-rejects", rejects=self.rejects, code=e.code if isinstance(e, BinanceError) else None)

    async def run(self) -> None:
        """Watches the kill file and the cooldown while the bot runs (idle when it failed to start)."""
        while True:
            if not self.disabled:
                try:
                    self.poll()
                except OSError as e:
                    log.error("kill switch poll failed: %s", e)
            await asyncio.sleep(WATCH_S)


def halted_before_resend(order: Any, intent: int) -> None:
    """The intent is given up at its re-send because the bot is halted. Its last request is known
    not to have executed (a definite rejection, or a lookup that found nothing), so the order is
    not in flight any more."""
    log.warning("intent %d: halted; not re-sending %s", intent, getattr(order, "client_id", "its order"))
    probes.skip("halt", None)
    if order is not None and order.status == "SENDING":
        order.status = "REJECTED"
