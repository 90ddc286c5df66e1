from __future__ import annotations

import pytest

from services.reports.domain.workflow import (
    CaseStatus,
    InvalidTransition,
    accepts_messages,
    check_transition,
)

R, A, P, C = (
    CaseStatus.RECEIVED,
    CaseStatus.ACKNOWLEDGED,
    CaseStatus.IN_PROGRESS,
    CaseStatus.CLOSED,
)


@pytest.mark.parametrize(("current", "target"), [(R, A), (A, P), (P, C), (A, C)])
def test_forward_steps_are_allowed(current: CaseStatus, target: CaseStatus) -> None:
    check_transition(current, target)


@pytest.mark.parametrize(
    ("current", "target", "reason"),
    [
        (R, P, "must be acknowledged"),
        (R, C, "must be acknowledged"),
        (A, A, "already acknowledged"),
        (P, A, "cannot go back"),
        (C, P, "closed"),
        (C, C, "already closed"),
        (A, R, "back to received"),
    ],
)
def test_other_steps_are_refused_with_a_reason(
    current: CaseStatus, target: CaseStatus, reason: str
) -> None:
    with pytest.raises(InvalidTransition, match=reason):
        check_transition(current, target)


def test_every_pair_is_decided_consistently() -> None:
    allowed = {(R, A), (A, P), (A, C), (P, C)}
    for current in CaseStatus:
        for target in CaseStatus:
            try:
                check_transition(current, target)
                ok = True
            except InvalidTransition:
                ok = False
            assert ok == ((current, target) in allowed), (current, target)


def test_only_a_closed_case_refuses_messages() -> None:
    assert [s for s in CaseStatus if not accepts_messages(s)] == [C]
