"""REFBOT_CONTROL_HOST: the address the control API (refbot/control.py) binds.

The control API speaks plain HTTP with a bearer token. Bound beyond loopback, the token crosses the
network in cleartext and the API is open to every host that can reach it
(000_2ae31cbfe79758d1.txt#T-M7: no HTTPS, token in plaintext;
001_0474a2fd1532b929.txt#no-runtime-validation-preventing-0-0-0-0).

Hardened: only a loopback address (127.0.0.0/8, ::1, localhost) is accepted; anything else is a
config error (exit 2 naming the variable). Flaw control-host-unchecked: the address is bound as given.
"""

from __future__ import annotations

import ipaddress
from typing import Callable

from .flaws import CONTROL_HOST_UNCHECKED

NAME = "REFBOT_CONTROL_HOST"
DEFAULT = "127.0.0.1"


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def control_host(get: Callable[[str], str | None], flaws: frozenset[str], report: Callable[[str], None]) -> str:
    host = get(NAME) or DEFAULT
    if CONTROL_HOST_UNCHECKED in flaws:
        # FLAW 000_2ae31cbfe79758d1.txt#T-M7 / 001_0474a2fd1532b929.txt#no-runtime-validation-preventing-0-0-0-0.
        return host
    if not is_loopback(host):
        # FIX 000_2ae31cbfe79758d1.txt#T-M7 / 001_0474a2fd1532b929.txt#no-runtime-validation-preventing-0-0-0-0.
        report(f"{NAME}={host!r} must be a loopback address (127.0.0.1, ::1): the control API has no TLS, its token would cross the network in plaintext")
        return DEFAULT
    return host
