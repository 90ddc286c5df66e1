"""bench/admission.py's throughput from the inbox's time stamps: one stamp per batch, the
first batch left out, and no figure from too few batches (two batches of a 400-event
backlog once printed 168,500 events/s: the second batch over the moment between two
commits)."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import pytest

from tests.support.bench_modules import bench_module

admission = bench_module("admission")
START = datetime(2026, 12, 6, 23, tzinfo=UTC)


def batches(*sizes: int, every: timedelta) -> list[datetime]:
    return [START + every * n for n, size in enumerate(sizes) for _ in range(size)]


def test_the_rate_leaves_the_first_batch_out() -> None:
    # 100 events a batch, a batch every 0.2 s: the last four batches' 400 in 0.8 s.
    stamps = batches(100, 100, 100, 100, 100, every=timedelta(milliseconds=200))
    assert admission.rate_of("policy", stamps) == pytest.approx(500)


def test_too_few_batches_give_no_figure_and_say_so(capsys: pytest.CaptureFixture[str]) -> None:
    stamps = batches(337, 63, every=timedelta(microseconds=400))
    assert math.isnan(admission.rate_of("policy", stamps))
    assert "2 batches, too few to time" in capsys.readouterr().out
