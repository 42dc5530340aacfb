"""Order quantity on the symbol's step grid.

Finding 003_a7371304fd1017c8.txt#round-price-calculate-qty-use-decimal-quantize-with lives here:
Decimal.quantize(step) only sets the number of decimals, so for a step that is not a power of ten
(0.25, 0.5) it yields quantities off the grid (6.37 with step 0.25) that the venue rejects (-4023
"Qty not increased by step size"). For power-of-ten steps it is indistinguishable from flooring, so
the flaw stays dormant on BTCUSDT/ETHUSDT. The fix floors to a true multiple of stepSize.
"""

from __future__ import annotations

import math
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


def float_floor_to_step(x: Decimal, step: Decimal) -> Decimal:
    """FLAW 000_2ae31cbfe79758d1.txt#S-H2 / 001_0474a2fd1532b929.txt#C7 (flaw float-step-rounding):
    like round_size() / PrecisionGuard, floor(size / step) * step in binary floats, the float's repr
    sent as the quantity. For a step with no exact binary form (0.1) the product carries float noise
    (33 * 0.1 = 3.3000000000000003), which the venue refuses (-1111, precision over the maximum).
    Floats that happen to print clean (0.016 with step 0.001) go through unchanged."""
    if step <= 0:
        return x
    s = float(step)
    return Decimal(repr(math.floor(float(x) / s) * s))
