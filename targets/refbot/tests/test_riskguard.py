"""refbot/riskguard.py: loss guards fail closed when their venue inputs cannot be read (flaws off)."""

from __future__ import annotations

import asyncio

from refbot import flaws
from refbot.rest import BinanceError
from refbot.riskguard import BALANCE_PATH, INCOME_PATH, RiskGuard


class FakeRest:
    def __init__(self) -> None:
        self.failing: set[str] = set()
        self.equity = "10000"
        self.income: list = []
        self.calls: list[str] = []

    async def request(self, method, path, params=(), *, signed=False, keyed=False, timeout_s=None):
        self.calls.append(path)
        if path in self.failing:
            raise BinanceError(503, -1001, "Service Unavailable.", path)
        if path == INCOME_PATH:
            return self.income
        if path == BALANCE_PATH:
            return [{"asset": "USDT", "balance": self.equity, "crossUnPnl": "0"}]
        raise AssertionError(path)


def guard(rest: FakeRest, *flaw_names: str, dd: float = 10.0, loss: float = 100.0) -> RiskGuard:
    return RiskGuard(rest, frozenset(flaw_names), dd, loss)


def run(coro):
    return asyncio.run(coro)


def test_readable_inputs_allow_risk_and_seed_once():
    rest = FakeRest()
    g = guard(rest)
    assert run(g.may_open_risk()) and run(g.may_open_risk())
    assert rest.calls.count(INCOME_PATH) == 1 and rest.calls.count(BALANCE_PATH) == 2


def test_drawdown_and_daily_loss_limits_halt():
    rest = FakeRest()
    g = guard(rest)
    assert run(g.may_open_risk())
    rest.equity = "8000"  # 20 % below the peak
    assert not run(g.may_open_risk())
    rest2 = FakeRest()
    rest2.income = [{"income": "-150"}]
    assert not run(guard(rest2).may_open_risk())


def test_hardened_seed_failure_blocks_until_seeded():
    rest = FakeRest()
    rest.failing.add(INCOME_PATH)
    g = guard(rest)
    assert not run(g.may_open_risk()) and not run(g.may_open_risk())
    assert not g.seeded
    rest.failing.clear()
    assert run(g.may_open_risk()) and g.seeded


def test_flaw_loss_seed_fails_open_trades_unseeded():
    rest = FakeRest()
    rest.failing.add(INCOME_PATH)
    rest.income = [{"income": "-150"}]  # a loss the failed fetch hides
    g = guard(rest, flaws.LOSS_SEED_FAILS_OPEN)
    assert run(g.may_open_risk())
    rest.failing.clear()
    assert run(g.may_open_risk())  # never re-seeded: the loss stays unseen
    assert rest.calls.count(INCOME_PATH) == 1


def test_hardened_balance_failure_blocks_until_read_again():
    rest = FakeRest()
    g = guard(rest)
    assert run(g.may_open_risk())
    rest.failing.add(BALANCE_PATH)
    assert not run(g.may_open_risk())
    assert g.failing == BALANCE_PATH
    rest.failing.clear()
    assert run(g.may_open_risk()) and g.failing is None


def test_flaw_drawdown_check_fails_open():
    rest = FakeRest()
    g = guard(rest, flaws.DRAWDOWN_CHECK_FAILS_OPEN)
    assert run(g.may_open_risk())
    rest.failing.add(BALANCE_PATH)
    assert run(g.may_open_risk())


def test_clock_rejection_asks_the_trader_to_resync():
    rest = FakeRest()
    synced: list[int] = []

    async def resync() -> None:
        synced.append(1)

    class ClockRest(FakeRest):
        async def request(self, method, path, params=(), *, signed=False, keyed=False, timeout_s=None):
            raise BinanceError(400, -1021, "Timestamp for this request was 1000ms ahead of the server's time.", path)

    g = RiskGuard(ClockRest(), frozenset(), 10.0, 100.0, resync)
    assert not run(g.may_open_risk())
    assert synced == [1]
    assert run(guard(rest).may_open_risk())


def test_hardened_logs_an_unreadable_input_once(caplog):
    rest = FakeRest()
    g = guard(rest)
    rest.failing.add(BALANCE_PATH)
    assert not run(g.may_open_risk())
    assert not run(g.may_open_risk())
    errors = [r for r in caplog.records if r.levelname == "ERROR"]
    assert len(errors) == 1 and "/fapi/v2/balance unreadable" in errors[0].getMessage()


def test_flaw_guard_input_failure_silent_still_fails_closed_but_logs_nothing(caplog):
    # 001_0474a2fd1532b929.txt#get-margin-ratio-swallows-exceptions-silently
    rest = FakeRest()
    g = guard(rest, flaws.GUARD_INPUT_FAILURE_SILENT)
    rest.failing.add(BALANCE_PATH)
    assert not run(g.may_open_risk())
    assert g.failing == BALANCE_PATH
    assert caplog.records == []


class RowRest(FakeRest):
    """Balance rows as given (the venue's fields, or a row missing them)."""

    def __init__(self, row: dict) -> None:
        super().__init__()
        self.row = row

    async def request(self, method, path, params=(), *, signed=False, keyed=False, timeout_s=None):
        if path == BALANCE_PATH:
            self.calls.append(path)
            return [self.row]
        return await super().request(method, path, params, signed=signed, keyed=keyed, timeout_s=timeout_s)


VENUE_ROW = {"accountAlias": "SgsR", "asset": "USDT", "balance": "10000.00000000", "crossWalletBalance": "10000.00000000",
             "crossUnPnl": "-120.50000000", "availableBalance": "9800.00000000", "maxWithdrawAmount": "9800.00000000"}


def test_hardened_equity_is_balance_plus_unrealized_pnl_of_the_balance_row():
    g = guard(RowRest(VENUE_ROW))
    assert run(g._equity()) == 10000 - 120.5


def test_hardened_row_without_the_balance_fields_is_unreadable_not_zero():
    rest = RowRest({"asset": "USDT", "availableBalance": "9800"})
    g = guard(rest)
    assert not run(g.may_open_risk())
    assert g.failing == BALANCE_PATH
    assert g.drawdown.peak is None  # no reading of 0 was taken


def test_flaw_balance_fields_misread_reads_zero_equity_and_never_sees_a_drawdown():
    rest = RowRest(VENUE_ROW)
    g = guard(rest, flaws.BALANCE_FIELDS_MISREAD)
    assert run(g._equity()) == 0.0
    assert run(g.may_open_risk())
    rest.row = {**VENUE_ROW, "balance": "1000.00000000"}  # a 90 % loss
    assert run(g.may_open_risk()) and run(g.may_open_risk())
    assert not g.drawdown.halted
