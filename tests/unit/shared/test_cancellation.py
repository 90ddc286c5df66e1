"""A cancelled background task ends, even when a library lost its cancellation on the way
(Python 3.11's asyncio.wait_for, around each of PyMongo's sends: shared/cancellation.py)."""

from __future__ import annotations

import asyncio
import contextlib

import pytest

from shared.cancellation import cancel_and_wait, raise_if_cancelled, wait_for_event


async def lost_cancellation() -> None:
    """What a library that loses a cancellation does: it takes the CancelledError and
    carries on, as asyncio.wait_for does on Python 3.11 when what it waits for completes
    in that moment. The task still counts the request (`cancelling()`)."""
    with contextlib.suppress(asyncio.CancelledError):
        await asyncio.sleep(3600)


async def test_a_loop_ends_at_its_next_round_when_its_cancellation_was_lost() -> None:
    rounds = 0

    async def loop() -> None:
        nonlocal rounds
        while True:
            raise_if_cancelled()
            rounds += 1
            await lost_cancellation()

    running = asyncio.create_task(loop())
    await asyncio.sleep(0.01)
    running.cancel()
    done, _ = await asyncio.wait({running}, timeout=2)
    assert running in done and running.cancelled()
    assert rounds == 1


async def test_a_task_not_cancelled_goes_on() -> None:
    raise_if_cancelled()  # nothing to honour


async def test_waiting_for_an_event_loses_no_cancellation() -> None:
    """The event set and the task cancelled in one moment: the waiter is cancelled. (With
    `asyncio.wait_for(event.wait(), ...)` on Python 3.11 it returns True instead, and the
    loop around it carries on.)"""
    event = asyncio.Event()
    waiting = asyncio.create_task(wait_for_event(event, 10))
    await asyncio.sleep(0)  # it waits now
    event.set()
    waiting.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiting


async def test_waiting_for_an_event_answers_whether_it_was_set() -> None:
    event = asyncio.Event()
    assert await wait_for_event(event, 0.01) is False
    event.set()
    assert await wait_for_event(event, 10) is True


async def test_cancel_and_wait_cancels_again_a_task_that_lost_its_cancellation() -> None:
    async def lost_once() -> None:
        await lost_cancellation()
        await asyncio.sleep(3600)  # a loop without raise_if_cancelled runs on

    running = asyncio.create_task(lost_once())
    await asyncio.sleep(0.01)
    assert await cancel_and_wait([running], within=5, again_every=0.05) == set()
    assert running.cancelled()


async def test_cancel_and_wait_gives_up_on_a_task_that_ignores_cancellation() -> None:
    stop = asyncio.Event()

    async def stubborn() -> None:
        while not stop.is_set():
            await lost_cancellation()

    running = asyncio.create_task(stubborn())
    await asyncio.sleep(0.01)
    assert await cancel_and_wait([running], within=0.2, again_every=0.05) == {running}
    stop.set()
    running.cancel()
    await asyncio.wait({running}, timeout=2)


async def test_cancel_and_wait_takes_what_the_ended_tasks_raised() -> None:
    async def fails() -> None:
        raise RuntimeError("died before stop")

    async def waits() -> None:
        await asyncio.sleep(3600)

    died, waiting = asyncio.create_task(fails()), asyncio.create_task(waits())
    await asyncio.sleep(0)
    assert await cancel_and_wait([died, waiting], within=5) == set()
    assert waiting.cancelled() and isinstance(died.exception(), RuntimeError)
    assert await cancel_and_wait([]) == set()
