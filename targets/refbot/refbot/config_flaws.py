"""The config-fails-fast flaws, kept out of config.py: how an invalid value is reported and how far
REFBOT_MAX_PRICE_AGE_MS may go. Without the flaws every problem is fatal (exit 2 from __main__)."""

from __future__ import annotations

import logging
from typing import Callable

from .flaws import INVALID_CONFIG_FALLS_BACK_TO_DEFAULT, WEEK_LONG_PRICE_AGE_BOUND

log = logging.getLogger("refbot.config")

# FIX 000_2ae31cbfe79758d1.txt#E-H9: prices older than an hour are never acted upon, and a config
# asking for more is rejected (the acceptance criteria's "reasonable value, e.g. 2 hours").
MAX_PRICE_AGE_BOUND_MS = 3_600_000
WEEK_MS = 7 * 24 * 60 * 60 * 1000


def max_price_age_bound(flaws: frozenset[str]) -> int:
    if WEEK_LONG_PRICE_AGE_BOUND in flaws:
        # FLAW 000_2ae31cbfe79758d1.txt#E-H9: the clamp's upper bound is one week, so a config that
        # lets the bot trade on day-old prices passes validation.
        return WEEK_MS
    return MAX_PRICE_AGE_BOUND_MS


def fallback_reporter(flaws: frozenset[str], errors: list[str]) -> Callable[[str], None]:
    """What to do with one invalid value: collect it (fatal) or, with the flaw, log and move on."""
    if INVALID_CONFIG_FALLS_BACK_TO_DEFAULT not in flaws:
        return errors.append

    def fall_back(problem: str) -> None:
        # FLAW 002_3e6ca2bf6dfde12d.txt#R5 (and 001_0474a2fd1532b929.txt#C2): a schema-less config
        # merge; the invalid value is logged and silently replaced by the default, start-up goes on.
        log.warning("config: %s; using the default", problem)

    return fall_back
