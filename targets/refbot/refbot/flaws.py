"""Every flaw refbot can reproduce, one line each: name -> the audit finding it reproduces.

Profile naive = all of them, hardened = none; REFBOT_FLAWS picks any subset. Each flaw is also
listed, with a description, in ../faultline.json "flaws" (a test keeps the two equal), which is
what the mutation matrix and `faultline repro` read. Code tests a flaw with cfg.flags.has(NAME).
"""

from __future__ import annotations

FLAWS: dict[str, str] = {}


def flaw(name: str, finding: str) -> str:
    assert name not in FLAWS, f"flaw {name} defined twice"
    FLAWS[name] = finding
    return name


# stale-or-gappy-data: mids cleared on market-WS disconnect, orders sized off the entry price.
CLEAR_PRICES_ON_DISCONNECT = flaw("clear-prices-on-disconnect", "000_2ae31cbfe79758d1.txt#S-C2")
# one-order-per-intent: an order POST that times out / loses its connection / gets a 5xx is re-sent
# under a NEW clientOrderId (a retry decorator without a deterministic id).
BLIND_RETRY_ON_TIMEOUT = flaw(
    "blind-retry-on-timeout", "003_a7371304fd1017c8.txt#bybitclient-create-order-is-decorated-with-automatic-retry"
)
# clock-skew-fails-closed: the drift guard's error is swallowed and the offset reset to 0.
RESET_CLOCK_OFFSET_ON_ERROR = flaw(
    "reset-clock-offset-on-error", "003_a7371304fd1017c8.txt#sync-server-time-raises-on-critical-ahead-of"
)
