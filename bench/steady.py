"""Each bench figure from several runs: the median, every run's value and the spread (largest
minus smallest), so that one lucky run is no result. The machine may be shared: the load
average is printed beside the figures (`load_average`)."""

from __future__ import annotations

import os
import statistics
from collections.abc import Sequence


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f}"


def steady(values: Sequence[float], unit: str = "", digits: int = 0) -> str:
    """`median 511 events/s (runs: 498, 511, 530; spread 32)`."""
    if not values:
        return "no runs"
    shown = ", ".join(f"{v:.{digits}f}" for v in values)
    spread = max(values) - min(values)
    return (
        f"median {statistics.median(values):.{digits}f}{unit} "
        f"(runs: {shown}; spread {spread:.{digits}f})"
    )


def loads(runs: Sequence[str]) -> str:
    """The load averages of the runs, beside a figure."""
    return "[" + "; ".join(runs) + "]"
