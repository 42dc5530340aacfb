"""Loss guards whose inputs come from the venue: the daily-loss seed and the drawdown check.

Before every risk-increasing order the trader asks `may_open_risk()`:
- daily-loss seed (once): today's realized PnL, GET /fapi/v1/income?incomeType=REALIZED_PNL since
  UTC midnight; a loss beyond the limit halts new risk;
- drawdown check (every tick that would open risk): wallet + unrealized PnL of USDT from
  GET /fapi/v2/balance against the peak seen; a drawdown beyond REFBOT_MAX_DRAWDOWN_PCT halts new
  risk (refbot/drawdown.py: confirmed by consecutive readings, halt/resume probes, the peak
  persisted across restarts).

Hardened (family guards-fail-closed): a guard that cannot read its input answers "no": no new risk
until the input is read again (the seed is retried every tick until it succeeds; fix for
003_a7371304fd1017c8.txt#daily-loss-seeding-can-fail-open-get-closed and
003_a7371304fd1017c8.txt#check-max-drawdown-treats-exceptions-as-non-fatal). Reduce-only exits never
ask. The flaws switch the fail-closed handling off the way the audited code lacked it.

The seed reads every page of today's income: GET /fapi/v1/income answers at most `limit` (1000)
rows per page, so a full page is followed by the next (page=2, 3, ...) until a short one; more than
MAX_INCOME_PAGES pages is a failed read (fail closed). Flaw income-single-page
(003_a7371304fd1017c8.txt#get-open-orders-reads-a-single-page-and, #get-positions-returns-only-one-response-page-and:
one response page taken for the whole list) reads page 1 only, so a day with more closed trades
than a page is seeded with part of its losses.

The equity is read from the fields /fapi/v2/balance returns (balance + crossUnPnl); a row without
them is an unreadable input, not a balance of 0. Flaw balance-fields-misread
(003_a7371304fd1017c8.txt#get-transferable-amount-calls-get-spot-margin-trade: one endpoint called,
another's fields parsed, "often zero") parses /fapi/v2/account's field names on the balance row and
reads 0, so the drawdown guard never sees a loss.

Every unreadable input is logged once (an error naming the endpoint and the exception) when it
starts failing (fix for 001_0474a2fd1532b929.txt#get-margin-ratio-swallows-exceptions-silently);
flaw guard-input-failure-silent handles it just as well but logs nothing.
"""

from __future__ import annotations

import logging
import time
from typing import Any, Awaitable, Callable

from . import flaws, probes
from .drawdown import DrawdownTracker
from .rest import BinanceError

log = logging.getLogger("refbot.riskguard")

INCOME_PATH = "/fapi/v1/income"
INCOME_PAGE = 1000  # Binance's maximum limit for /fapi/v1/income
MAX_INCOME_PAGES = 50
BALANCE_PATH = "/fapi/v2/balance"
DAY_MS = 86_400_000


def _num(row: dict, key: str) -> float:
    try:
        return float(row.get(key) or 0)
    except (TypeError, ValueError):
        return 0.0


def _field(row: dict, key: str) -> float:
    """A numeric field the answer must carry: absent or not a finite number is an unreadable answer."""
    try:
        v = float(row[key])
    except (KeyError, TypeError, ValueError):
        raise ValueError(f"{BALANCE_PATH}: USDT row without a numeric {key!r}") from None
    if v != v or v in (float("inf"), float("-inf")):
        raise ValueError(f"{BALANCE_PATH}: USDT row with {key}={row[key]!r}")
    return v


class RiskGuard:
    def __init__(
        self,
        rest: Any,
        flaw_set: frozenset[str],
        max_drawdown_pct: float,
        max_daily_loss_usd: float,
        on_clock_error: Callable[[], Awaitable[None]] | None = None,
        state_dir: str | None = None,
    ) -> None:
        self.rest = rest
        # A read refused with -1021 (timestamp outside recvWindow) means the clock is off: the trader
        # re-syncs it (and halts on a skew), instead of the guard signing again with the same offset.
        self.on_clock_error = on_clock_error
        self.flaws = flaw_set
        self.max_drawdown_pct = max_drawdown_pct
        self.max_daily_loss_usd = max_daily_loss_usd
        self.seeded = False
        self.daily_pnl = 0.0
        # Peak, confirmations, halt/resume probes and the peak's persistence: refbot/drawdown.py.
        self.drawdown = DrawdownTracker(max_drawdown_pct, state_dir, flaw_set)
        self.failing: str | None = None  # the input whose last read failed (hardened: no risk until read again)

    async def _closed_pnl(self) -> list:
        start = int(time.time() * 1000) // DAY_MS * DAY_MS
        if flaws.INCOME_SINGLE_PAGE in self.flaws:
            # FLAW 003_a7371304fd1017c8.txt#get-open-orders-reads-a-single-page-and: page 1 taken for the whole day.
            return await self._income_page(start, 1)
        # FIX 003_a7371304fd1017c8.txt#get-positions-returns-only-one-response-page-and: follow the pages to a short one.
        rows: list = []
        for page in range(1, MAX_INCOME_PAGES + 1):
            got = await self._income_page(start, page)
            rows.extend(got)
            if len(got) < INCOME_PAGE:
                return rows
        raise ValueError(f"{INCOME_PATH}: more than {MAX_INCOME_PAGES} pages of realized PnL today; not seeded")

    async def _income_page(self, start: int, page: int) -> list:
        params = [("incomeType", "REALIZED_PNL"), ("startTime", start), ("limit", INCOME_PAGE), ("page", page)]
        if flaws.LOSS_SEED_FAILS_OPEN in self.flaws:
            # FLAW 003_a7371304fd1017c8.txt#daily-loss-seeding-can-fail-open-get-closed: get_closed_pnl()
            # swallows errors and returns [], which the seeding takes for "no losses today".
            try:
                rows = await self.rest.request("GET", INCOME_PATH, params, signed=True)
            except Exception as e:
                log.warning("closed PnL fetch failed (%s); returning []", e)
                return []
        else:
            rows = await self.rest.request("GET", INCOME_PATH, params, signed=True)
        return rows if isinstance(rows, list) else []

    async def _seed(self) -> None:
        rows = await self._closed_pnl()
        self.daily_pnl = sum(_num(r, "income") for r in rows if isinstance(r, dict))
        self.seeded = True
        log.info("daily loss tracker seeded: realized PnL today %.4f (%d rows)", self.daily_pnl, len(rows))

    async def _equity(self) -> float:
        rows = await self.rest.request("GET", BALANCE_PATH, signed=True)
        for r in rows if isinstance(rows, list) else []:
            if isinstance(r, dict) and r.get("asset") == "USDT":
                if flaws.BALANCE_FIELDS_MISREAD in self.flaws:
                    # FLAW 003_a7371304fd1017c8.txt#get-transferable-amount-calls-get-spot-margin-trade:
                    # one endpoint called, another endpoint's fields parsed (/fapi/v2/account's
                    # totalMarginBalance / totalUnrealizedProfit on a /fapi/v2/balance row), absent
                    # fields read as 0: the equity is always 0 and the drawdown guard is blind.
                    return _num(r, "totalMarginBalance") + _num(r, "totalUnrealizedProfit")
                # FIX (same finding): the fields this endpoint returns, and a row without them is an
                # unreadable input (fail closed), never a balance of 0.
                return _field(r, "balance") + _field(r, "crossUnPnl")
        raise ValueError("no USDT row in /fapi/v2/balance")

    async def _check_drawdown(self) -> bool:
        return self.drawdown.observe(await self._equity())

    async def _fail(self, what: str, e: Exception) -> bool:
        if isinstance(e, BinanceError) and e.code == -1021 and self.on_clock_error is not None:
            await self.on_clock_error()
        if self.failing != what:
            if flaws.GUARD_INPUT_FAILURE_SILENT not in self.flaws:
                # FIX 001_0474a2fd1532b929.txt#get-margin-ratio-swallows-exceptions-silently: say so.
                log.error("risk guard input %s unreadable (%s): no new risk until it is read again", what, e)
            # FLAW 001_0474a2fd1532b929.txt#get-margin-ratio-swallows-exceptions-silently
            # (guard-input-failure-silent): handled (no new risk), but nothing in the log says why.
            probes.emit("halt", reason="guard-input", input=what)
        self.failing = what
        return False

    def _ok(self) -> None:
        if self.failing is not None:
            log.warning("risk guard inputs readable again; resuming")
            probes.emit("resume", reason="guard-input")
        self.failing = None

    async def may_open_risk(self) -> bool:
        if not self.seeded:
            try:
                await self._seed()
            except Exception as e:  # FIX #daily-loss-seeding-can-fail-open-get-closed: not seeded = no risk
                return await self._fail(INCOME_PATH, e)
        if self.daily_pnl < -self.max_daily_loss_usd:
            return False
        try:
            ok = await self._check_drawdown()
        except Exception as e:
            if flaws.DRAWDOWN_CHECK_FAILS_OPEN in self.flaws:
                # FLAW 003_a7371304fd1017c8.txt#check-max-drawdown-treats-exceptions-as-non-fatal:
                # the exception is a logger.warning and trading continues.
                log.warning("max drawdown check failed (%s); continuing", e)
                return True
            return await self._fail(BALANCE_PATH, e)  # FIX: the guard cannot evaluate, so no new risk
        self._ok()
        return ok
