"""Events of identity: who is a member of an organisation, and with which roles.

No secret ever travels here: sign-in links, codes and tokens stay inside identity (a link
is mailed by identity itself). `sub` is what tokens carry. Of addresses only an admin's or a
coordinator's travels (MemberAdded.email), so that notify can mail the organisation's staff.
Every service keeps the current members from these events and checks each request against
them (shared/auth/membership.py).
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar, Literal

from shared.events.base import Event

MemberRole = Literal["admin", "coordinator", "vcp", "volunteer"]


class MemberAdded(Event):
    """A person became a member, or an existing member got more roles (`roles` is then
    every role they hold now)."""

    type_name: ClassVar[str] = "nl.safehands.member.added.v1"
    key_field: ClassVar[str] = "member_id"
    member_id: str
    # What their access tokens carry as `sub`: the member_id of an admin or coordinator,
    # the vcp_id of a VCP, the volunteer_id of a volunteer.
    sub: str
    roles: list[MemberRole]
    added_at: datetime
    # An admin's or coordinator's name, for the mail that announces them to the
    # organisation's admins and VCPs (notify); None for VCPs and volunteers, whose own
    # events named them already, and in events from before it was sent.
    name: str | None = None
    # An admin's or coordinator's address, so that notify mails an organisation's staff by
    # default (its contacts list overrides) and knows whom an announcement is about; None
    # for VCPs and volunteers (never a volunteer's address here), and in events from before
    # it was sent. A MemberRemoved makes notify forget it. Not forwarded to webhooks.
    email: str | None = None


class MemberRemoved(Event):
    """A membership ended: removed by an admin, a VCP dismissed, a volunteer's data erased.
    The person's refresh tokens stop working for this organisation at once."""

    type_name: ClassVar[str] = "nl.safehands.member.removed.v1"
    key_field: ClassVar[str] = "member_id"
    member_id: str
    sub: str
    removed_at: datetime


# Operators belong to no organisation, but every event and every tenant document carries
# one: theirs are the platform's, under this reserved slug (policy registers no organisation
# by it).
PLATFORM_ORG = "platform"


class OperatorAdded(Event):
    """A person became an operator (or became one again after being removed). Carries no
    address: `sub` is what their tokens carry (identity's pseudonymous person id)."""

    type_name: ClassVar[str] = "nl.safehands.operator.added.v1"
    key_field: ClassVar[str] = "operator_id"
    operator_id: str
    sub: str
    added_at: datetime


class OperatorRemoved(Event):
    """An operator was removed: every service refuses their tokens from now on."""

    type_name: ClassVar[str] = "nl.safehands.operator.removed.v1"
    key_field: ClassVar[str] = "operator_id"
    operator_id: str
    sub: str
    removed_at: datetime


EVENTS: tuple[type[Event], ...] = (MemberAdded, MemberRemoved, OperatorAdded, OperatorRemoved)
