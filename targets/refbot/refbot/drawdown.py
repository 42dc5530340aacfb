"""Drawdown kill switch: equity readings (USDT balance + unrealized PnL, refbot/riskguard.py)
against the peak equity seen, halting new risk when the drawdown exceeds REFBOT_MAX_DRAWDOWN_PCT.

A halt prints {"probe":"halt","reason":"drawdown"} and, once a reading is back within the limit,
{"probe":"resume","reason":"drawdown"} (the vocabulary of refbot/killswitch.py). Until a breach is
confirmed, the reading that exceeds the limit still opens no risk on that tick.

Hardened:
- a halt needs CONFIRMATIONS consecutive readings beyond the limit, so one anomalous reading (a
  glitched balance answer) cannot fire the kill switch (fix for 001_0474a2fd1532b929.txt#M20);
- the peak is persisted in STATE_DIR/refbot-peak.json (atomic replace) whenever it rises and
  restored at start, so a restart does not reset the drawdown protection: after a loss the
  restarted bot still measures against the pre-restart peak (fix for 001_0474a2fd1532b929.txt#M9;
  the realized PnL is re-read from the venue at start by the daily-loss seed).

Flaws (each dormant until the drawdown limit is crossed):
- drawdown-single-reading (001_0474a2fd1532b929.txt#M20): the first reading beyond the limit fires
  the kill switch, and it is irreversible for the process (no resume when readings recover).
- drawdown-peak-not-persisted (001_0474a2fd1532b929.txt#M9): the peak lives in memory only; a
  restarted bot takes its first (already reduced) reading as the peak and trades on.
"""

from __future__ import annotations

import json
import logging
import os

from . import flaws, probes

log = logging.getLogger("refbot.drawdown")

PEAK_FILE = "refbot-peak.json"
CONFIRMATIONS = 2


class DrawdownTracker:
    def __init__(self, max_pct: float, state_dir: str | None, flaw_set: frozenset[str]) -> None:
        self.max_pct = max_pct
        self.path = os.path.join(state_dir, PEAK_FILE) if state_dir else None
        self.persist = flaws.DRAWDOWN_PEAK_NOT_PERSISTED not in flaw_set
        self.single = flaws.DRAWDOWN_SINGLE_READING in flaw_set
        self.peak: float | None = None
        self.breaches = 0
        self.halted = False
        self._restore()

    def _restore(self) -> None:
        if not self.persist or self.path is None or not os.path.exists(self.path):
            return  # FLAW 001_0474a2fd1532b929.txt#M9 (drawdown-peak-not-persisted): starts over
        try:
            with open(self.path) as f:
                peak = float(json.load(f)["peakUsdt"])
            if not peak > 0:
                raise ValueError(f"peak {peak}")
        except (OSError, ValueError, KeyError, TypeError) as e:
            log.error("drawdown peak %s unreadable (%s); measuring from the next reading", self.path, e)
            return
        self.peak = peak
        log.warning("drawdown peak %.2f USDT restored from %s", peak, self.path)

    def _save(self) -> None:
        if not self.persist or self.path is None or self.peak is None:
            return
        tmp = self.path + ".tmp"
        try:
            with open(tmp, "w") as f:
                json.dump({"peakUsdt": self.peak}, f)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, self.path)
        except OSError as e:
            log.error("cannot persist drawdown peak: %s", e)

    def observe(self, equity: float) -> bool:
        """One equity reading; True when it allows new risk."""
        if self.peak is None or equity > self.peak:
            self.peak = equity
            self._save()
        dd = 0.0 if self.peak <= 0 else (self.peak - equity) / self.peak * 100.0
        if dd > self.max_pct:
            self.breaches += 1
            # FLAW 001_0474a2fd1532b929.txt#M20 (drawdown-single-reading): one reading fires it.
            # FIX: CONFIRMATIONS consecutive readings beyond the limit.
            need = 1 if self.single else CONFIRMATIONS
            if self.breaches >= need and not self.halted:
                self.halted = True
                log.error("drawdown %.2f%% beyond %.2f%% (%d reading(s)): HALT, no new risk", dd, self.max_pct, self.breaches)
                probes.emit("halt", reason="drawdown", drawdownPct=round(dd, 2), readings=self.breaches)
            elif not self.halted:
                log.warning("drawdown %.2f%% beyond %.2f%%: reading %d of %d; no new risk until confirmed or cleared", dd, self.max_pct, self.breaches, need)
            return False
        self.breaches = 0
        if self.halted:
            if self.single:
                return False  # FLAW 001_0474a2fd1532b929.txt#M20: the kill switch is irreversible
            self.halted = False
            log.warning("drawdown %.2f%% back within %.2f%%; resuming", dd, self.max_pct)
            probes.emit("resume", reason="drawdown")
        return True
