"""Trading mode against the venue it points at (paper / testnet never reach production).

REFBOT_MODE is live (default), testnet or paper. A testnet or paper run exists to risk nothing, so
it must never talk to a production exchange: Binance's production hosts (PRODUCTION_HOSTS) are
refused in those modes, and a paper run without venue URLs does not fall back to any.

Hardened:
- testnet / paper with a production VENUE_REST_URL / VENUE_WS_URL / VENUE_USER_WS_URL is fatal,
  naming the mode and the URL (001_0474a2fd1532b929.txt#M11: no testnet/live URL cross-validation;
  #H1: the paper runner accepted a production venue config and could place real orders);
- paper without VENUE_REST_URL / VENUE_WS_URL is fatal (the URLs are required in every mode).

Flaws:
- mode-url-unchecked (#M11, #H1): the mode and the URLs are never compared; a testnet or paper run
  configured with production URLs trades on production.
- paper-defaults-to-production (001_0474a2fd1532b929.txt#C1: the paper CLI defaulted to the
  production venue config): in paper mode missing venue URLs default to Binance production, and the
  default, being the bot's own, is not cross-checked.
"""

from __future__ import annotations

from typing import Callable
from urllib.parse import urlsplit

from . import flaws as F

MODES = ("live", "testnet", "paper")
PRODUCTION_HOSTS = frozenset(
    {
        "fapi.binance.com",
        "fstream.binance.com",
        "fstream-auth.binance.com",
        "ws-fapi.binance.com",
        "dapi.binance.com",
        "dstream.binance.com",
        "api.binance.com",
        "stream.binance.com",
    }
)
PRODUCTION_DEFAULTS = {"VENUE_REST_URL": "https://fapi.binance.com", "VENUE_WS_URL": "wss://fstream.binance.com"}


def is_production(url: str) -> bool:
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return False
    return host.lower().rstrip(".") in PRODUCTION_HOSTS


def paper_default(mode: str, flaws: frozenset[str], name: str) -> str | None:
    """The fallback for a missing venue URL: none, except in paper mode under flaw paper-defaults-to-production."""
    if mode == "paper" and F.PAPER_DEFAULTS_TO_PRODUCTION in flaws:
        return PRODUCTION_DEFAULTS.get(name)  # FLAW 001_0474a2fd1532b929.txt#C1
    return None


def check_mode_urls(mode: str, given: dict[str, str | None], flaws: frozenset[str], report: Callable[[str], None]) -> None:
    """Refuses production URLs the operator gave in a testnet or paper run (given: name -> value as configured)."""
    if mode == "live" or F.MODE_URL_UNCHECKED in flaws:
        return  # FLAW 001_0474a2fd1532b929.txt#M11 / #H1 when flawed
    for name, value in given.items():
        if value and is_production(value):
            # FIX 001_0474a2fd1532b929.txt#M11, #H1: a run that must risk nothing never reaches production.
            report(f"REFBOT_MODE={mode} with a production venue URL {name}={value}: a {mode} run must never reach production")
