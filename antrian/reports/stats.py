"""The statistics the reports use, written out so a figure can be checked by hand."""

from __future__ import annotations

import math
from collections.abc import Sequence


def percentile(values: Sequence[float], q: float, presorted: bool = False) -> float | None:
    """The q-th percentile (0-100) by linear interpolation between the two nearest ranks
    (the method of spreadsheets' PERCENTILE.INC and numpy's default); None without values."""
    if not values:
        return None
    ordered = values if presorted else sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def share(part: int, whole: int) -> float | None:
    """A fraction 0..1, None when there is nothing to divide."""
    return part / whole if whole else None
