"""A retryable order failure never leaves the runner stuck in ERROR (loop-never-stalls).

Flaw transient-error-sticks-in-error (004_8a8a9a4995486b8f.txt#H-FSM-01): any failed order moves
the runner to ERROR and nothing leads out of it; hardened keeps it RUNNING on retryable rejections
and only account-level ones are terminal.
"""

from __future__ import annotations

import io
import sys

import pytest

from refbot import flaws, probes
from refbot.config import KNOWN_FLAWS, load_config
from refbot.fsm import on_order_failed, retryable
from refbot.graceful import InvalidTransition, Lifecycle
from refbot.outbound import RequestBlocked
from refbot.rest import BinanceError

ENV = {"VENUE_REST_URL": "http://127.0.0.1:1", "VENUE_WS_URL": "ws://127.0.0.1:1", "VENUE_API_KEY": "k", "VENUE_API_SECRET": "s"}
OVERLOADED = BinanceError(400, -1008, "Server is currently overloaded with other requests.", "/fapi/v1/order")
MARGIN = BinanceError(400, -2019, "Margin is insufficient.", "/fapi/v1/order")
PRECISION = BinanceError(400, -1111, "Precision is over the maximum defined for this asset.", "/fapi/v1/order")


@pytest.fixture(autouse=True)
def quiet_probes():
    probes.set_output(io.StringIO())
    yield
    probes.set_output(sys.stdout)


def running(profile: str = "hardened", flaw: str = "") -> tuple[Lifecycle, bool]:
    cfg = load_config({**ENV, "REFBOT_PROFILE": profile, **({"REFBOT_FLAWS": flaw} if flaw else {})})
    lc = Lifecycle(cfg)
    lc.to("RUNNING")
    return lc, cfg.flags.has(flaws.TRANSIENT_ERROR_STICKS_IN_ERROR)


def fail(lc: Lifecycle, sticky: bool, e: BaseException) -> None:
    lc.on_rejected(e)  # what Trader._rejected does first
    on_order_failed(lc, e, sticky)


def test_flaw_is_known_and_only_in_the_naive_profile() -> None:
    assert flaws.TRANSIENT_ERROR_STICKS_IN_ERROR in KNOWN_FLAWS
    assert running("naive")[1] and not running("hardened")[1]


def test_retryable_rejections() -> None:
    assert retryable(OVERLOADED) and retryable(BinanceError(429, -1003, "Too much request weight used", "/x"))
    assert retryable(RequestBlocked("breaker open", "POST /fapi/v1/order", 2.0))
    assert not retryable(MARGIN) and not retryable(PRECISION) and not retryable(ValueError("x"))


def test_flawed_runner_sticks_in_error_after_one_overloaded_rejection() -> None:
    lc, sticky = running(flaw=flaws.TRANSIENT_ERROR_STICKS_IN_ERROR)
    fail(lc, sticky, OVERLOADED)
    assert lc.state == "ERROR" and not lc.trading
    with pytest.raises(InvalidTransition):
        lc.to("RUNNING")  # no way back: the table has no ERROR -> RUNNING


def test_hardened_runner_stays_running_through_retryable_rejections() -> None:
    lc, sticky = running()
    for e in (OVERLOADED, RequestBlocked("breaker open", "POST /fapi/v1/order", 2.0), PRECISION):
        fail(lc, sticky, e)
    assert lc.state == "RUNNING" and lc.trading


def test_account_level_rejection_is_terminal_in_both() -> None:
    for flaw in ("", flaws.TRANSIENT_ERROR_STICKS_IN_ERROR):
        lc, sticky = running(flaw=flaw)
        fail(lc, sticky, MARGIN)
        assert lc.state == "ERROR"
