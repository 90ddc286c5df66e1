from datetime import UTC, datetime, timedelta
from itertools import pairwise

import pytest

from services.notify.domain.retry_schedule import (
    MAX_DELIVERY_ATTEMPTS,
    MAX_JITTER_FRACTION,
    RETRY_DELAYS,
    RETRY_WINDOW,
    SUBSCRIPTION_DISABLE_AFTER_CONSECUTIVE_FAILED_DELIVERIES,
    Jitter,
    next_attempt_at,
    no_jitter,
    random_jitter,
    should_disable_subscription,
)

FIRST_ATTEMPT = datetime(2026, 3, 14, 9, 30, tzinfo=UTC)


def max_jitter(delay: timedelta) -> timedelta:
    return delay * MAX_JITTER_FRACTION


def schedule(jitter: Jitter = no_jitter) -> list[datetime]:
    """The due time of every attempt, the first included."""
    times = [FIRST_ATTEMPT]
    for attempts_made in range(1, MAX_DELIVERY_ATTEMPTS):
        due = next_attempt_at(FIRST_ATTEMPT, attempts_made, jitter=jitter)
        assert due is not None
        times.append(due)
    return times


def test_retries_start_within_seconds_and_back_off_as_documented() -> None:
    waits = [later - earlier for earlier, later in pairwise(schedule())]
    assert waits[:5] == [
        timedelta(seconds=5),
        timedelta(seconds=30),
        timedelta(minutes=2),
        timedelta(minutes=10),
        timedelta(hours=1),
    ]
    assert all(timedelta(hours=1) <= wait <= timedelta(hours=8) for wait in waits[5:])


@pytest.mark.parametrize("jitter", [no_jitter, max_jitter, random_jitter])
def test_attempts_are_strictly_increasing(jitter: Jitter) -> None:
    times = schedule(jitter)
    assert all(earlier < later for earlier, later in pairwise(times))


def test_waits_never_shrink() -> None:
    assert list(RETRY_DELAYS) == sorted(RETRY_DELAYS)


@pytest.mark.parametrize("jitter", [no_jitter, max_jitter, random_jitter])
def test_the_last_attempt_is_within_24_hours_of_the_first(jitter: Jitter) -> None:
    assert schedule(jitter)[-1] - FIRST_ATTEMPT <= RETRY_WINDOW == timedelta(hours=24)


def test_the_schedule_uses_most_of_the_24_hours() -> None:
    assert schedule()[-1] - FIRST_ATTEMPT >= timedelta(hours=20)


def test_after_the_last_attempt_the_delivery_is_given_up() -> None:
    assert next_attempt_at(FIRST_ATTEMPT, MAX_DELIVERY_ATTEMPTS) is None
    assert next_attempt_at(FIRST_ATTEMPT, MAX_DELIVERY_ATTEMPTS + 3) is None
    assert next_attempt_at(FIRST_ATTEMPT, MAX_DELIVERY_ATTEMPTS - 1) is not None


def test_jitter_is_injected_and_applies_to_one_attempt_only() -> None:
    one_second = next_attempt_at(FIRST_ATTEMPT, 3, jitter=lambda delay: timedelta(seconds=1))
    assert one_second == FIRST_ATTEMPT + timedelta(seconds=5 + 30 + 120 + 1)


def test_random_jitter_stays_within_its_bound() -> None:
    for delay in RETRY_DELAYS:
        for _ in range(50):
            assert timedelta(0) <= random_jitter(delay) <= max_jitter(delay)


@pytest.mark.parametrize("bad_jitter", [timedelta(seconds=-1), timedelta(hours=1)])
def test_jitter_beyond_the_bound_is_refused(bad_jitter: timedelta) -> None:
    with pytest.raises(ValueError, match="Jitter"):
        next_attempt_at(FIRST_ATTEMPT, 1, jitter=lambda delay: bad_jitter)


def test_attempts_made_starts_at_one() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        next_attempt_at(FIRST_ATTEMPT, 0)


def test_subscriptions_are_disabled_after_consecutive_failed_deliveries() -> None:
    threshold = SUBSCRIPTION_DISABLE_AFTER_CONSECUTIVE_FAILED_DELIVERIES
    assert threshold == 5
    assert not should_disable_subscription(0)
    assert not should_disable_subscription(threshold - 1)
    assert should_disable_subscription(threshold)
    assert should_disable_subscription(threshold + 1)
    with pytest.raises(ValueError):
        should_disable_subscription(-1)
