"""Order quantity on the symbol's step grid.

Finding 003_a7371304fd1017c8.txt#round-price-calculate-qty-use-decimal-quantize-with lives here:
Decimal.quantize(step) only sets the number of decimals, so for a step that is not a power of ten
(0.25, 0.5) it yields quantities off the grid (6.37 with step 0.25) that the venue rejects (-4023
"Qty not increased by step size"). For power-of-ten steps it is indistinguishable from flooring, so
the flaw stays dormant on BTCUSDT/ETHUSDT. The fix floors to a true multiple of stepSize.
"""

from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_FLOOR, Decimal


def floor_to_step(x: Decimal, step: Decimal) -> Decimal:
    """FIX: the largest multiple of step <= x (step <= 0: x unchanged)."""
    if step <= 0:
        return x
    return ((x / step).to_integral_value(rounding=ROUND_FLOOR) * step).quantize(step)


def quantize_to_step(x: Decimal, step: Decimal) -> Decimal:
    """FLAW 003_a7371304fd1017c8.txt#round-price-calculate-qty-use-decimal-quantize-with (flaw
    quantize-to-step): like calculate_qty(), x.quantize(qtyStep), which keeps step's exponent but
    not its multiple."""
    if step <= 0:
        return x
    return x.quantize(step, rounding=ROUND_DOWN)
