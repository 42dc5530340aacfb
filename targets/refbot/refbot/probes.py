"""Probes: one JSON object per line on STDOUT, flushed at once. Nothing else goes to stdout."""

from __future__ import annotations

import json
import sys
import threading
from typing import Any, TextIO

_lock = threading.Lock()
_out: TextIO = sys.stdout
_ready_sent = False


def set_output(stream: TextIO) -> None:
    """For tests."""
    global _out, _ready_sent
    _out = stream
    _ready_sent = False


def emit(probe: str, **fields: Any) -> None:
    line = json.dumps({"probe": probe, **fields}, separators=(",", ":"))
    with _lock:
        _out.write(line + "\n")
        _out.flush()


def ready() -> bool:
    """Emits {"probe":"ready"} exactly once; returns True the first time."""
    global _ready_sent
    if _ready_sent:
        return False
    _ready_sent = True
    emit("ready")
    return True


def ws(stream: str, state: str) -> None:
    emit("ws", stream=stream, state=state)


def order(client_order_id: str, side: str, qty: float, reduce_only: bool, price_estimate: float | None, price_source: str, candle: dict | None = None) -> None:
    extra = {"candle": candle} if candle is not None else {}
    emit(
        "order",
        clientOrderId=client_order_id,
        side=side,
        qty=qty,
        reduceOnly=reduce_only,
        priceEstimate=price_estimate,
        priceSource=price_source,
        **extra,
    )


def intent(n: int, client_order_id: str, attempt: int) -> None:
    """One line per order attempt: which trading intent it belongs to and which try it is."""
    emit("intent", intent=n, clientOrderId=client_order_id, attempt=attempt)


def skip(reason: str, age_ms: int | None = None) -> None:
    emit("skip", reason=reason, ageMs=age_ms)
