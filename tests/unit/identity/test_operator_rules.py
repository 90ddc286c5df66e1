"""Who is an operator, and which removals are refused (services/identity/domain/operators.py)."""

from __future__ import annotations

import pytest

from services.identity.domain.errors import LastOperator
from services.identity.domain.operators import (
    LAST_OPERATOR,
    NOT_YOURSELF,
    check_operator_removal,
    operators_now,
)

SEED = frozenset({"ada@example.org", "bo@example.org"})


def test_the_seed_less_the_removed_plus_the_added() -> None:
    assert operators_now(SEED, []) == SEED
    rows = [
        {"email": "bo@example.org", "removed": True},
        {"email": "cas@example.org", "removed": False},
        {"email": "dirk@example.org", "removed": True},
    ]
    assert operators_now(SEED, rows) == {"ada@example.org", "cas@example.org"}
    # A seed operator removed and added again is one again.
    assert "bo@example.org" in operators_now(SEED, [{"email": "bo@example.org", "removed": False}])


def test_never_oneself_and_never_the_last() -> None:
    check_operator_removal(SEED, "bo@example.org", acting="ada@example.org")
    with pytest.raises(LastOperator) as raised:
        check_operator_removal(SEED, "ada@example.org", acting="ada@example.org")
    assert str(raised.value) == NOT_YOURSELF
    # The last one can only be oneself; should an operator no longer listed act (removed
    # meanwhile, token still valid), the last one stays anyway.
    with pytest.raises(LastOperator) as raised:
        check_operator_removal(frozenset({"ada@example.org"}), "ada@example.org", acting="")
    assert str(raised.value) == LAST_OPERATOR
