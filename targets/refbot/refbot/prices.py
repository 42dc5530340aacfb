"""PriceBook: best bid/offer and mid per symbol, with receive times.

Audit finding 000_2ae31cbfe79758d1.txt#S-C2 ("WS disconnect clears all mid-prices ->
stale margin estimates") lives here: the flawed behaviour (clear on disconnect, then fall
back to the position's entry price) and its fix (keep prices, mark the disconnect, make
consumers ask with a maximum age).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True)
class Quote:
    bid: float
    ask: float
    mid: float
    recv_at: float  # monotonic seconds when received
    event_ms: int | None = None  # venue event time, informational


@dataclass(frozen=True)
class PriceEstimate:
    """What the bot believes the price is, and where that belief came from."""

    price: float | None  # None: no usable price (hardened: stale; naive: nothing at all)
    source: str | None  # "mid" | "entry-fallback" | None
    age_ms: int | None  # age of the last mid (None if there is none)
    stale: bool  # True: a price exists but is older than the allowed age


class PriceBook:
    def __init__(self, clear_on_disconnect: bool, clock: Callable[[], float] = time.monotonic) -> None:
        self.clear_on_disconnect = clear_on_disconnect
        self._clock = clock
        self._mids: dict[str, float] = {}
        self._bbo: dict[str, Quote] = {}
        self.connected = False
        self.disconnected_at: float | None = None  # monotonic seconds; None while connected

    # -- feed side -------------------------------------------------------------------
    def update(self, symbol: str, bid: float, ask: float, event_ms: int | None = None) -> Quote:
        q = Quote(bid=bid, ask=ask, mid=(bid + ask) / 2.0, recv_at=self._clock(), event_ms=event_ms)
        self._bbo[symbol] = q
        self._mids[symbol] = q.mid
        return q

    def invalidate(self, symbol: str) -> bool:
        """Forgets a symbol's price (the feed delivered a degenerate quote, refbot/quotes.py); True if it had one."""
        self._mids.pop(symbol, None)
        return self._bbo.pop(symbol, None) is not None

    def on_connect(self) -> None:
        self.connected = True
        self.disconnected_at = None

    def on_disconnect(self) -> None:
        self.connected = False
        if self.clear_on_disconnect:
            # FLAW 000_2ae31cbfe79758d1.txt#S-C2 (profile naive / flaw clear-prices-on-disconnect):
            # `_on_close` wipes every mid and BBO, so get_mid() returns None for the whole
            # reconnection window and estimate() falls back to the position's entry price.
            self._mids.clear()
            self._bbo.clear()
        else:
            # FIX 000_2ae31cbfe79758d1.txt#S-C2 (acceptance criterion 1): keep the prices and mark
            # the disconnect with a timestamp; consumers judge usability by age (criterion 2).
            if self.disconnected_at is None:
                self.disconnected_at = self._clock()

    # -- consumer side ---------------------------------------------------------------
    def get_mid(self, symbol: str) -> float | None:
        """Last mid regardless of age (the flawed API consumers used)."""
        return self._mids.get(symbol)

    def quote(self, symbol: str) -> Quote | None:
        return self._bbo.get(symbol)

    def age_ms(self, symbol: str) -> int | None:
        """Effective age: time since receipt, and at least the time the stream has been down."""
        q = self._bbo.get(symbol)
        if q is None:
            return None
        now = self._clock()
        age = now - q.recv_at
        if self.disconnected_at is not None:
            age = max(age, now - self.disconnected_at)
        return int(age * 1000)

    def get_mid_fresh(self, symbol: str, max_age_ms: int) -> float | None:
        """The mid only if it is at most max_age_ms old (000_2ae31cbfe79758d1.txt#S-C2 criterion 2)."""
        age = self.age_ms(symbol)
        if age is None or age > max_age_ms:
            return None
        return self._mids.get(symbol)

    def estimate(self, symbol: str, entry_price: float, max_age_ms: int) -> PriceEstimate:
        """Price used to size orders and estimate margin."""
        age = self.age_ms(symbol)
        if self.clear_on_disconnect:
            # FLAW 000_2ae31cbfe79758d1.txt#S-C2: like LiveTrader._estimate_margin_used, no age check;
            # when get_mid() is None (cleared on disconnect) use the entry price instead.
            mid = self.get_mid(symbol)
            if mid is not None:
                return PriceEstimate(mid, "mid", age, stale=False)
            if entry_price > 0:
                return PriceEstimate(entry_price, "entry-fallback", None, stale=False)
            return PriceEstimate(None, None, None, stale=False)
        # FIX 000_2ae31cbfe79758d1.txt#S-C2: only a mid within max age is usable; otherwise there is
        # no price at all (never the entry price) and the caller must not open new risk.
        mid = self.get_mid_fresh(symbol, max_age_ms)
        if mid is not None:
            return PriceEstimate(mid, "mid", age, stale=False)
        return PriceEstimate(None, None, age, stale=age is not None)
