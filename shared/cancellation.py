"""Background work that ends when it is cancelled, on Python 3.11 too.

A background task (the audit chainer, the outbox relay, a worker) runs rounds until it is
cancelled; whoever stops it (`Runtime.stop`, a test) cancels it once and waits for it to end.
On Python 3.11, `asyncio.wait_for` returns normally when the task is cancelled in the moment
after what it waits for completed (cpython gh-86296; 3.12 rebuilt `wait_for` on
`asyncio.timeout`), and PyMongo's async client wraps every send in it (`async_sendall` in
pymongo/network_layer.py): a cancellation that lands just after a command went out is lost,
the command runs to its answer, and a loop that only a cancellation ends runs on for ever,
its stopper waiting for it (a test's `gather` past its timeout, a service that never stops).
The task still counts the request (`Task.cancelling()`), so:

- each round of such a loop starts with `raise_if_cancelled()`: a cancellation lost in the
  round before ends the loop there;
- a loop waits for its wake-up with `wait_for_event`, which loses none, not with
  `asyncio.wait_for(event.wait(), ...)`, which loses one the same way when the event is set
  in that moment;
- `cancel_and_wait` cancels a task again while it outlives its cancellation, for a bounded
  time, so that stopping never waits without end.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import Any

# How long `cancel_and_wait` waits, in all, for tasks to end; and how often it cancels again
# a task still running.
STOP_SECONDS = 10.0
CANCEL_AGAIN_SECONDS = 1.0


def raise_if_cancelled() -> None:
    """Raise CancelledError if the current task was cancelled and carries on regardless:
    the cancellation was lost on its way (see the module's docstring)."""
    task = asyncio.current_task()
    if task is not None and task.cancelling():
        raise asyncio.CancelledError("a cancellation lost on its way (shared/cancellation.py)")


async def wait_for_event(event: asyncio.Event, seconds: float) -> bool:
    """Wait until `event` is set, for at most `seconds`; True if it was set. Cancelled
    meanwhile, it raises CancelledError, whatever else happens in that moment."""
    try:
        async with asyncio.timeout(seconds):
            await event.wait()
    except TimeoutError:
        return False
    return True


async def cancel_and_wait(
    tasks: Iterable[asyncio.Task[Any]],
    *,
    within: float = STOP_SECONDS,
    again_every: float = CANCEL_AGAIN_SECONDS,
) -> set[asyncio.Task[Any]]:
    """Cancel `tasks` and wait for them to end, cancelling again every `again_every` seconds
    those still running, for at most `within` seconds in all. Returns the tasks still
    running then (each ignores its cancellation: a bug to report, not a reason to wait for
    ever). What the tasks that ended raised is taken, not re-raised: they were stopped."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    running = set(tasks)
    while running:
        for task in running:
            task.cancel()
        remaining = deadline - loop.time()
        if remaining <= 0:
            break
        ended, running = await asyncio.wait(running, timeout=min(again_every, remaining))
        for task in ended:
            if not task.cancelled():
                task.exception()  # taken, so asyncio does not log it as never retrieved
    return running
