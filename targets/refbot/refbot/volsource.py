"""REFBOT_VOL_SOURCE: the kline price the logged volatility indicator is computed from (refbot/warmup.py).

Kept apart from warmup.py so that reading the configuration never imports aiohttp.
"""

from __future__ import annotations

# source -> kline fields averaged (Binance kline rows: 1 open, 2 high, 3 low, 4 close).
VOL_SOURCES: dict[str, tuple[int, ...]] = {"open": (1,), "high": (2,), "low": (3,), "close": (4,), "hl2": (2, 3)}
