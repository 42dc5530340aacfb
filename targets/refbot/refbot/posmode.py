"""The account's position mode, checked at start-up (config-fails-fast).

refbot trades one-way: every order is sent without positionSide (BOTH), and its position is one
signed quantity. An account switched to hedge mode (dualSidePosition=true, by an operator or
another tool) refuses such orders with -4061 and keeps two legs per symbol that refbot's books
cannot represent.

Hardened: GET /fapi/v1/positionSide/dual at start-up; hedge mode is fatal (exit 1) with a message
naming it, before any order.

Flaw position-mode-unchecked (001_0474a2fd1532b929.txt#H2, a silent NETTING fallback when the
configured hedge mode does not match): the mode is never asked; the bot starts, becomes ready and
runs in a mode its strategy does not support.
"""

from __future__ import annotations

from typing import Any

from . import flaws


class PositionModeError(ValueError):
    pass


def hedge_mode(body: Any) -> bool:
    """dualSidePosition of GET /fapi/v1/positionSide/dual (Binance sends a JSON boolean)."""
    v = body.get("dualSidePosition") if isinstance(body, dict) else None
    if isinstance(v, bool):
        return v
    if isinstance(v, str) and v.lower() in ("true", "false"):
        return v.lower() == "true"
    raise PositionModeError(f"GET /fapi/v1/positionSide/dual answered no dualSidePosition: {str(body)[:200]}")


async def check_position_mode(rest: Any, flags: Any) -> None:
    if flags.has(flaws.POSITION_MODE_UNCHECKED):
        return  # FLAW 001_0474a2fd1532b929.txt#H2: runs in whatever mode the account is in.
    # FIX 001_0474a2fd1532b929.txt#H2: a mode the strategy does not support is fatal, not a fallback.
    if hedge_mode(await rest.position_mode()):
        raise PositionModeError(
            "the account is in hedge mode (dualSidePosition=true); refbot trades one-way (positionSide BOTH): "
            "switch the account to one-way mode before starting"
        )
