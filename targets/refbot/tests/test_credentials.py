"""Credentials rejected by the venue at start-up are fatal at once (refbot/credentials.py)."""

from __future__ import annotations

import pytest

from refbot import flaws
from refbot.config import load_config
from refbot.credentials import CredentialsError, refuse_foreign_keys
from refbot.rest import BinanceError

BASE = {"VENUE_REST_URL": "http://127.0.0.1:40001", "VENUE_WS_URL": "ws://127.0.0.1:40002", "VENUE_API_KEY": "k", "VENUE_API_SECRET": "s"}


def flags(flaw: str = "none"):
    return load_config({**BASE, "REFBOT_FLAWS": flaw}).flags


@pytest.mark.parametrize("code", [-2015, -2014, -1022])
def test_rejected_keys_are_fatal_naming_the_key(code):
    err = BinanceError(401, code, "Invalid API-key, IP, or permissions for action.", "/fapi/v1/listenKey")
    with pytest.raises(CredentialsError, match=rf"VENUE_API_KEY rejected by the venue \({code} "):
        refuse_foreign_keys(err, flags())


def test_transient_failures_are_left_to_the_retry():
    refuse_foreign_keys(BinanceError(503, -1001, "Internal error", "/fapi/v1/time"), flags())
    refuse_foreign_keys(TimeoutError(), flags())


def test_flaw_retries_rejected_keys():
    # FLAW 001_0474a2fd1532b929.txt#no-testnet-live-credential-cross-validation
    refuse_foreign_keys(BinanceError(401, -2015, "Invalid API-key", "/fapi/v1/listenKey"), flags(flaws.CREDENTIALS_RETRIED))
