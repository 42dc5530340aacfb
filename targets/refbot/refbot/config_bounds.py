"""Range validation of numeric REFBOT_* values, and the config-fails-fast flaws that weaken it.

Hardened (no flaw): a value must be finite and within [minimum, maximum]; anything else is a
config error (exit 2 from __main__, naming the variable and the value). Each flaw below is dormant
unless its bad input is actually given:

- nan-config-accepted (000_2ae31cbfe79758d1.txt#E-M4, `_cfg_float` without `math.isfinite`):
  the range test is written `v < lo or v > hi`, which NaN passes (every comparison with NaN is
  false), so "nan" is accepted, and a risk limit that is NaN never trips (`loss < -nan` is false).
- out-of-range-config-clamped (000_2ae31cbfe79758d1.txt#E-M7, `_db_timeout_s` silently clamped):
  a value beyond its bounds is clamped into them without a word; the operator's 120 s order
  timeout silently becomes 60 s.
- risk-override-unchecked (002_3e6ca2bf6dfde12d.txt#env-var-overrides-production-profile):
  an environment override of a risk limit is applied as given, after (and without) the range
  validation, so REFBOT_MAX_DRAWDOWN_PCT=400 switches the drawdown guard off.
"""

from __future__ import annotations

import logging
import math

from .flaws import NAN_CONFIG_ACCEPTED, OUT_OF_RANGE_CONFIG_CLAMPED, RISK_OVERRIDE_UNCHECKED

log = logging.getLogger("refbot.config")

# The risk limits an environment override may set (the "production profile" values).
RISK_LIMITS = frozenset({"REFBOT_MAX_NOTIONAL_USD", "REFBOT_MAX_DRAWDOWN_PCT", "REFBOT_MAX_DAILY_LOSS_USD", "REFBOT_HALT_AFTER_REJECTS"})


def check_bounds(name: str, raw: str, val: float | int, minimum: float, maximum: float, flaws: frozenset[str]) -> tuple[float | int, str | None]:
    """(value to use, problem or None). A problem is a config error for the caller to report."""
    if NAN_CONFIG_ACCEPTED in flaws and isinstance(val, float) and math.isnan(val):
        # FLAW 000_2ae31cbfe79758d1.txt#E-M4: no isfinite check, and `v < lo or v > hi` is false for NaN.
        if not (val < minimum or val > maximum):
            return val, None
    if RISK_OVERRIDE_UNCHECKED in flaws and name in RISK_LIMITS:
        # FLAW 002_3e6ca2bf6dfde12d.txt#env-var-overrides-production-profile: the env override of a
        # risk limit is applied as given; only the profile's own values were range-checked.
        return val, None
    # FIX 000_2ae31cbfe79758d1.txt#E-M4: NaN and +-inf are rejected, not passed on or defaulted.
    if isinstance(val, float) and not math.isfinite(val):
        return val, f"{name}={raw!r} must be finite"
    if minimum <= val <= maximum:
        return val, None
    if OUT_OF_RANGE_CONFIG_CLAMPED in flaws:
        # FLAW 000_2ae31cbfe79758d1.txt#E-M7: silently clamped into the bounds; no error, no log line.
        return min(max(val, minimum), maximum), None
    # FIX 000_2ae31cbfe79758d1.txt#E-M7, #env-var-overrides-production-profile: out of range is fatal.
    return val, f"{name}={raw!r} must be between {minimum:g} and {maximum:g}"
