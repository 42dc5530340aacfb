"""The traded symbol's filters, re-read from exchangeInfo whenever the market stream reconnects
(a venue maintenance that closed the stream may have changed them).

The trader reads the filters through LiveFilters, which always answers from the cache's current
entry. Finding 000_2ae31cbfe79758d1.txt#S-H1 ("module-level global mutable state without thread
safety": the instrument metadata cache is read and refreshed concurrently) lives in refresh():

- flaw filters-cache-cleared-on-refresh: like meta.py's refresh, the cache is cleared first and
  filled when the (possibly slow) exchangeInfo answer arrives; a reader in between finds no entry
  and falls back to DEFAULT_FILTERS, sizing orders on the wrong step. Dormant while exchangeInfo
  answers at once, and on symbols whose step is the default's (BTCUSDT, ETHUSDT: 0.001). A failed
  refresh leaves the cache empty (defaults) until one succeeds.
- fix: the new entry is built from the complete answer and swapped in with one assignment;
  readers see the old filters or the new ones, never none. A failed refresh keeps the old ones.
"""

from __future__ import annotations

import asyncio
import logging
from decimal import Decimal
from typing import Any, Awaitable, Callable

from .strategy import SymbolFilters, parse_filters

log = logging.getLogger("refbot.filtercache")

# What the flawed reader assumes for a symbol it has no metadata for (a typical USDT-M contract).
DEFAULT_FILTERS = SymbolFilters(tick_size=Decimal("0.01"), step_size=Decimal("0.001"), min_qty=Decimal("0.001"), min_notional=Decimal("5"))


class FilterCache:
    def __init__(
        self,
        symbol: str,
        initial: SymbolFilters,
        fetch_exchange_info: Callable[[], Awaitable[Any]],
        clear_on_refresh: bool,
    ) -> None:
        self.symbol = symbol
        self.fetch = fetch_exchange_info
        self.clear_on_refresh = clear_on_refresh
        # Flags of the flaws that change rounding (quantize-to-step, float-step-rounding) stay as set at start-up.
        self._flags = {"quantize_qty": initial.quantize_qty, "float_qty": initial.float_qty}
        self._entries: dict[str, SymbolFilters] = {symbol: initial}
        self.refreshes = 0
        self.failures = 0
        self._task: asyncio.Task | None = None

    def get(self) -> SymbolFilters:
        f = self._entries.get(self.symbol)
        if f is None:
            # FLAW 000_2ae31cbfe79758d1.txt#S-H1: the read raced a refresh that cleared the cache.
            log.warning("no filters cached for %s (refresh in progress); using defaults", self.symbol)
            return SymbolFilters(**{**DEFAULT_FILTERS.__dict__, **self._flags})
        return f

    def trigger(self) -> None:
        """Called on the loop when the market stream (re)connects; one refresh at a time."""
        if self._task is not None and not self._task.done():
            return
        self._task = asyncio.get_running_loop().create_task(self.refresh(), name="filters-refresh")

    async def refresh(self) -> None:
        self.refreshes += 1
        if self.clear_on_refresh:
            # FLAW 000_2ae31cbfe79758d1.txt#S-H1: clear, then fill when the answer comes.
            self._entries.clear()
        try:
            info = await self.fetch()
            fresh = parse_filters(info, self.symbol)
        except Exception as e:
            self.failures += 1
            log.warning("filters refresh for %s failed: %s: %s; keeping the previous ones", self.symbol, type(e).__name__, e)
            return  # (with the flaw the cache stays empty: defaults until a refresh succeeds)
        # FIX 000_2ae31cbfe79758d1.txt#S-H1: one assignment of a complete entry.
        self._entries = {**self._entries, self.symbol: SymbolFilters(**{**fresh.__dict__, **self._flags})}
        log.info("filters %s refreshed: %s", self.symbol, self._entries[self.symbol])

    async def close(self) -> None:
        if self._task is not None and not self._task.done():
            self._task.cancel()
            await asyncio.wait({self._task}, timeout=1.0)


class LiveFilters:
    """SymbolFilters' fields, read from the cache's current entry at every access."""

    def __init__(self, cache: FilterCache) -> None:
        self._cache = cache

    @property
    def tick_size(self) -> Decimal:
        return self._cache.get().tick_size

    @property
    def step_size(self) -> Decimal:
        return self._cache.get().step_size

    @property
    def min_qty(self) -> Decimal:
        return self._cache.get().min_qty

    @property
    def min_notional(self) -> Decimal:
        return self._cache.get().min_notional

    @property
    def quantize_qty(self) -> bool:
        return self._cache.get().quantize_qty

    @property
    def float_qty(self) -> bool:
        return self._cache.get().float_qty

    def __repr__(self) -> str:
        return f"LiveFilters({self._cache.get()!r})"
