"""bookTicker quotes: reading them off the market stream, and refusing degenerate ones.

Findings 004_8a8a9a4995486b8f.txt#M-ADAPTER-01 (exchange responses used without validation) and
000_2ae31cbfe79758d1.txt#S-M6 / #S-M1 (prices divided by without a zero check) live here. The flaw
no-price-sanity takes whatever numbers arrive ("0", "-1", "NaN") into the book, where they size the
next order (qty = notional / mid). The fix checks every quote (finite, > 0, bid <= ask) and, on a
degenerate one, drops the symbol's price altogether until a sane quote arrives: the trader then has
no price and opens no risk (a reduce-only exit needs none).
"""

from __future__ import annotations

import logging
import math

from . import probes
from .prices import PriceBook

log = logging.getLogger("refbot.quotes")

Tick = tuple[str, float, float, "int | None"]


def parse_unchecked(data: dict) -> Tick | None:
    """`{"e":"bookTicker","s","b","a","E"}` (or its combined-stream envelope) as numbers, unvalidated."""
    if "stream" in data and isinstance(data.get("data"), dict):
        data = data["data"]
    if data.get("e") not in (None, "bookTicker") or "b" not in data or "a" not in data or "s" not in data:
        return None
    try:
        bid, ask = float(data["b"]), float(data["a"])
    except (TypeError, ValueError):
        return None
    return str(data["s"]), bid, ask, int(data["E"]) if data.get("E") is not None else None


def degenerate(bid: float, ask: float) -> str | None:
    """Why a quote cannot be a price (None when it can)."""
    if not (math.isfinite(bid) and math.isfinite(ask)):
        return "not-finite"
    if bid <= 0 or ask <= 0:
        return "not-positive"
    if bid > ask:
        return "crossed"
    return None


def read_book_ticker(data: dict, book: PriceBook, unchecked: bool) -> Tick | None:
    """Applies one bookTicker message to the book; returns the quote when it was applied."""
    q = parse_unchecked(data)
    if q is None:
        return None
    sym, bid, ask, ev = q
    if unchecked:
        # FLAW 004_8a8a9a4995486b8f.txt#M-ADAPTER-01 (flaw no-price-sanity): the ticker is used as
        # received. A "0" bid makes the mid half the ask, so qty = notional / mid doubles
        # (000_2ae31cbfe79758d1.txt#S-M6: a price divided by without a zero check).
        book.update(sym, bid, ask, ev)
        return q
    reason = degenerate(bid, ask)
    if reason is not None:
        # FIX 004_8a8a9a4995486b8f.txt#M-ADAPTER-01: validate before use; a degenerate quote means
        # the feed is not to be trusted, so the last price goes too (no order is sized until a sane
        # quote arrives), rather than keeping a price the feed just contradicted.
        if book.invalidate(sym):
            log.warning("degenerate quote for %s (%s: bid=%r ask=%r): no price until a sane quote arrives", sym, reason, bid, ask)
            probes.emit("degenerate", symbol=sym, reason=reason)
        return None
    book.update(sym, bid, ask, ev)
    return q
