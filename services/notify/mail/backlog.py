"""How many mails are due: the mail outbox's backlog, for KEDA to scale notify on.

A province-wide publication asks every volunteer to sign again: tens of thousands of mails
land in the mail outbox within a minute or two, not as Kafka lag, so the lag trigger never
sees them, and each instance sends one mail at a time. The gauge lets KEDA add instances
while the backlog lasts (`cli/kubernetes.py`, notify's Prometheus trigger).

Counted without costing the idle platform anything: a claim that finds nothing proves the
backlog is empty (every due mail would have matched it), so the gauge drops to 0 without a
query; while mails go out, it is counted again at most every `COUNT_EVERY`. Every instance
counts the same collection, so the trigger takes the maximum, not the sum.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from prometheus_client import CollectorRegistry, Gauge

from services.notify.claims import Claims

COUNT_EVERY = 15.0  # seconds: KEDA's polling interval

MAILS_DUE = "safehands_notify_mails_due"


class MailBacklog:
    def __init__(
        self,
        claims: Claims,
        registry: CollectorRegistry,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._claims = claims
        self._clock = clock
        self._counted_at: float | None = None
        self.gauge = Gauge(
            MAILS_DUE,
            "Mails due or being sent now across organisations (the mail outbox's backlog), as "
            "this instance last counted it: 0 once a claim found none; while mails go out, "
            f"counted again at most every {COUNT_EVERY:.0f} s.",
            registry=registry,
        )

    async def after_claim(self, claimed: bool) -> None:
        if not claimed:
            self.gauge.set(0)
            self._counted_at = None
            return
        now = self._clock()
        if self._counted_at is not None and now - self._counted_at < COUNT_EVERY:
            return
        self._counted_at = now
        # Due, or being sent (the mail just claimed is one): both are work still to do.
        self.gauge.set(await self._claims.outstanding())
