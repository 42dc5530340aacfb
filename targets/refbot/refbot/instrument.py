"""The traded symbol's filters from exchangeInfo, or (flaw unknown-symbol-keeps-running) nothing."""

from __future__ import annotations

import logging

from . import flaws
from .config import Flags
from .strategy import SymbolFilters, parse_filters

log = logging.getLogger("refbot.instrument")


class InstrumentError(ValueError):
    """SYMBOLS names a symbol the venue does not list: a configuration error, fatal at start-up."""


def instrument_filters(exchange_info: dict, symbol: str, flags: Flags) -> SymbolFilters | None:
    try:
        return parse_filters(exchange_info, symbol)
    except ValueError as e:
        if flags.has(flaws.UNKNOWN_SYMBOL_KEEPS_RUNNING):
            # FLAW 001_0474a2fd1532b929.txt#C3: start-up returns early when the instrument is not
            # found, without flagging the bot unhealthy; the process lives on half-initialised.
            log.error("instrument %s not found (%s); start-up stops here", symbol, e)
            return None
        # FIX 001_0474a2fd1532b929.txt#C3: an unknown instrument is fatal (exit 1, saying which).
        raise InstrumentError(f"SYMBOLS={symbol}: {e}") from None
