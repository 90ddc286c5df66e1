"""Which keys a VCP may register: one envelope names one suite, so every VCP key of an
organisation must be of the same suite."""

from __future__ import annotations

from collections.abc import Iterable


def suite_conflict(suite: str, other_suites: Iterable[str]) -> str | None:
    """Why a `suite` key cannot join the organisation's other VCP keys; None when it can."""
    others = sorted(set(other_suites) - {suite})
    if not others:
        return None
    return (
        f"The organisation's VCPs use {', '.join(others)} keys; "
        f"a {suite} key cannot be sealed to together with them."
    )
