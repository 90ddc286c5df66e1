"""identity's use cases on a fake unit of work and its database as the platform store: an
invited admin signs in with the link of their mail and gets tokens, a reused refresh token
ends the session, and each refusal is the domain error that http_routes/ turns into its
status (tests/support/fake_unit_of_work.py)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Literal

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from services.identity.bootstrap import DEFINITION
from services.identity.domain.errors import (
    LastAdmin,
    NoSuchMember,
    NoSuchOrganisation,
    NotAMemberThere,
    NotRemovableHere,
    SessionEnded,
    UnusableCode,
)
from services.identity.domain.mails import Mail
from services.identity.domain.memberships import Membership
from services.identity.domain.sessions import ROTATION_GRACE
from services.identity.event_handlers import on_vcp_appointed, on_vcp_dismissed
from services.identity.signing import Signer
from services.identity.storage import (
    INDEXES,
    MEMBERSHIPS,
    ORGANISATIONS,
    REFRESH_TOKENS,
    SIGN_IN_CODES,
    VCP_INVITATIONS,
)
from services.identity.use_cases.members import (
    Invitation,
    invite_member,
    remove_member,
    store_invitation_code,
)
from services.identity.use_cases.sign_in import exchange_code, request_sign_in
from services.identity.use_cases.tokens import Issued, issue_tokens, session_of, sign_out
from services.identity.use_cases.vcp_invitations import invite_vcp, pending_invitations
from shared.auth.membership import CURRENT_MEMBERS
from shared.auth.tokens import verify_token
from shared.events.identity import MemberAdded, MemberRemoved
from shared.events.reports import VCPAppointed, VCPDismissed
from tests.support.fake_unit_of_work import FakeUnitOfWork

ORG = "club"
NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
WEB = "https://safehands.example/"
NO_OPERATORS: frozenset[str] = frozenset()


@pytest.fixture
async def uow() -> FakeUnitOfWork:
    uow = FakeUnitOfWork(ORG, indexes=INDEXES, publishes=DEFINITION.publishes)
    # As identity's handler remembers an organisation policy registered.
    await uow.collection(ORGANISATIONS).insert_one({"name": "De Club", "language": "en"})
    return uow


async def invite(
    uow: FakeUnitOfWork, email: str, *roles: Literal["admin", "coordinator"], at: datetime = NOW
) -> tuple[str, Mail]:
    invitation = Invitation(email=email, name="Anna", roles=list(roles))
    code = await store_invitation_code(uow.database, invitation, org_id=ORG, now=at)
    invited = await invite_member(uow, invitation, code=code, web_url=WEB, now=at)
    return invited.member_id, invited.mail


def code_in(mail: Mail) -> str:
    found = re.search(
        r"https://safehands\.example/sign-in/callback#code=([\w-]+)", mail.content.text
    )
    assert found, mail.content.text
    return found.group(1)


async def test_an_invited_admin_signs_in_with_the_link_of_their_mail(uow: FakeUnitOfWork) -> None:
    member_id, mail = await invite(uow, "Anna@Example.org", "admin")
    assert (mail.to, mail.kind) == ("anna@example.org", "invitation")
    assert mail.content.subject == "You are invited to De Club on SafeHands"
    assert "as administrator" in mail.content.text
    assert uow.published == [
        MemberAdded(
            org_id=ORG,
            member_id=member_id,
            sub=member_id,
            roles=["admin"],
            added_at=NOW,
            name="Anna",
            # Staff's address (normalised), for notify's mails to the organisation's staff.
            email="anna@example.org",
        )
    ]
    code = code_in(mail)
    # Only the code's hash is stored; the link lives in the mail alone.
    [stored] = await uow.database.platform_collection(SIGN_IN_CODES).find({}).to_list()
    assert code not in str(stored)
    assert (stored["email"], stored["purpose"]) == ("anna@example.org", "invitation")

    signed_in = await exchange_code(
        uow.database, code, operators=NO_OPERATORS, now=NOW + timedelta(days=2)
    )
    assert signed_in.memberships == [
        Membership(org_id=ORG, roles=("admin",), sub=member_id, kind="staff")
    ]
    # The invitation lands on the page of the role it was sent for, in its organisation.
    assert signed_in.next_page == "/admin"
    assert signed_in.preferred == signed_in.memberships[0]
    # A link works once, and an invitation's for three days.
    with pytest.raises(UnusableCode, match=r"^This sign-in link is unknown, already used or"):
        await exchange_code(uow.database, code, operators=NO_OPERATORS, now=NOW)
    _, late = await invite(uow, "bram@example.org", "coordinator")
    with pytest.raises(UnusableCode):
        await exchange_code(
            uow.database, code_in(late), operators=NO_OPERATORS, now=NOW + timedelta(days=3)
        )


async def test_inviting_a_member_again_adds_the_roles_to_their_membership(
    uow: FakeUnitOfWork,
) -> None:
    member_id, _ = await invite(uow, "anna@example.org", "coordinator")
    again, _ = await invite(uow, "ANNA@example.org", "admin")
    assert again == member_id
    [member] = await uow.collection(MEMBERSHIPS).find({})
    assert member["roles"] == ["admin", "coordinator"]
    assert uow.published[-1] == MemberAdded(
        org_id=ORG,
        member_id=member_id,
        sub=member_id,
        roles=["admin", "coordinator"],
        added_at=NOW,
        name="Anna",
        email="anna@example.org",
    )
    # identity's own check reads the new role at once, in the invitation's transaction.
    [current] = await uow.collection(CURRENT_MEMBERS).find({})
    assert (current["sub"], current["roles"], current["removed"]) == (
        member_id,
        ["admin", "coordinator"],
        False,
    )


async def test_nobody_is_invited_to_an_organisation_identity_does_not_know() -> None:
    uow = FakeUnitOfWork("nowhere", indexes=INDEXES, publishes=DEFINITION.publishes)
    with pytest.raises(NoSuchOrganisation, match=r"^There is no organisation nowhere\.$"):
        await invite(uow, "anna@example.org", "admin")
    assert await uow.collection(MEMBERSHIPS).count() == 0
    assert uow.published == []


async def test_staff_are_removed_but_never_the_last_admin(uow: FakeUnitOfWork) -> None:
    anna, _ = await invite(uow, "anna@example.org", "admin", "coordinator")
    with pytest.raises(
        LastAdmin, match=r"^This is the organisation's last admin: invite another admin first\.$"
    ):
        await remove_member(uow, anna, now=NOW)
    bram, _ = await invite(uow, "bram@example.org", "admin")
    await remove_member(uow, anna, now=NOW)
    assert [m["member_id"] for m in await uow.collection(MEMBERSHIPS).find({})] == [bram]
    assert uow.published[-1] == MemberRemoved(org_id=ORG, member_id=anna, sub=anna, removed_at=NOW)
    # identity refuses Anna's tokens from this transaction on, before the event travels.
    current = {m["sub"]: m["removed"] for m in await uow.collection(CURRENT_MEMBERS).find({})}
    assert current == {anna: True, bram: False}
    with pytest.raises(NoSuchMember, match=r"^There is no member nope\.$"):
        await remove_member(uow, "nope", now=NOW)
    # Another organisation's unit of work does not see this one's members.
    with pytest.raises(NoSuchMember):
        await remove_member(uow.for_org("other"), bram, now=NOW)


async def test_a_vcps_membership_is_not_removed_here(uow: FakeUnitOfWork) -> None:
    # As identity's handler mirrors reports' appointment.
    await uow.collection(MEMBERSHIPS).insert_one(
        {"member_id": "vcp:carla", "sub": "carla", "kind": "vcp", "roles": ["vcp"]}
    )
    with pytest.raises(NotRemovableHere, match=r"^A VCP leaves when dismissed in reports"):
        await remove_member(uow, "vcp:carla", now=NOW)
    assert await uow.collection(MEMBERSHIPS).count() == 1


async def test_a_sign_in_link_is_mailed_to_members_and_operators_only(uow: FakeUnitOfWork) -> None:
    await invite(uow, "anna@example.org", "admin")
    codes = uow.database.platform_collection(SIGN_IN_CODES)
    await codes.delete_many({})

    mail = await request_sign_in(
        uow.database,
        "anna@example.org",
        next_page="/admin",
        operators=NO_OPERATORS,
        web_url=WEB,
        now=NOW,
    )
    assert mail is not None
    assert (mail.to, mail.kind) == ("anna@example.org", "sign_in_link")
    # In the organisation's language, and valid for 15 minutes.
    assert mail.content.subject == "Your SafeHands sign-in link"
    assert "within 15 minutes" in mail.content.text

    # An unknown address: no mail, but the same write, of a code that can never be used.
    assert (
        await request_sign_in(
            uow.database,
            "eve@example.org",
            next_page=None,
            operators=NO_OPERATORS,
            web_url=WEB,
            now=NOW,
        )
        is None
    )
    assert [row["email"] for row in await codes.find({}).to_list()] == ["anna@example.org", None]

    signed_in = await exchange_code(
        uow.database, code_in(mail), operators=NO_OPERATORS, now=NOW + timedelta(minutes=14)
    )
    assert signed_in.next_page == "/admin"
    with pytest.raises(UnusableCode):
        await exchange_code(uow.database, code_in(mail), operators=NO_OPERATORS, now=NOW)

    # The operator is no member anywhere, but is mailed and signs in as the operator.
    operators = frozenset({"op@example.org"})
    mail = await request_sign_in(
        uow.database, "op@example.org", next_page=None, operators=operators, web_url=WEB, now=NOW
    )
    assert mail is not None and mail.content.subject == "Je inloglink voor SafeHands"
    operator = await exchange_code(uow.database, code_in(mail), operators=operators, now=NOW)
    [membership] = operator.memberships
    assert (membership.org_id, membership.roles, membership.kind) == (
        None,
        ("operator",),
        "operator",
    )
    assert membership.sub.startswith("person-")


async def test_a_sign_in_link_of_a_member_who_left_meanwhile_does_not_sign_in(
    uow: FakeUnitOfWork,
) -> None:
    anna, _ = await invite(uow, "anna@example.org", "coordinator")
    await invite(uow, "bram@example.org", "admin")
    mail = await request_sign_in(
        uow.database,
        "anna@example.org",
        next_page=None,
        operators=NO_OPERATORS,
        web_url=WEB,
        now=NOW,
    )
    assert mail is not None
    await remove_member(uow, anna, now=NOW)
    with pytest.raises(UnusableCode):
        await exchange_code(uow.database, code_in(mail), operators=NO_OPERATORS, now=NOW)
    assert await uow.database.platform_collection(REFRESH_TOKENS).count_documents({}) == 0


async def test_tokens_rotate_and_a_reused_refresh_token_ends_the_session(
    uow: FakeUnitOfWork,
) -> None:
    anna, mail = await invite(uow, "anna@example.org", "admin")
    signed_in = await exchange_code(uow.database, code_in(mail), operators=NO_OPERATORS, now=NOW)
    key = Ed25519PrivateKey.generate()
    signer = Signer(key, "safehands")

    async def tokens_for(refresh_token: str, org_id: str | None, at: datetime) -> Issued:
        return await issue_tokens(
            uow.database,
            signer,
            refresh_token,
            org_id=org_id,
            sub=None,
            operators=NO_OPERATORS,
            now=at,
        )

    # An organisation one is no member of is refused, and the token stays usable.
    with pytest.raises(
        NotAMemberThere, match=r"^You hold no membership in this organisation \(any more\)\.$"
    ):
        await tokens_for(signed_in.refresh_token, "other", NOW)
    at = NOW + timedelta(minutes=20)
    first = await tokens_for(signed_in.refresh_token, ORG, at)
    claims = verify_token(first.access_token, key.public_key(), now=at)
    assert (claims.sub, claims.org, claims.roles) == (anna, ORG, frozenset({"admin"}))
    # The next token lives as long as the session: 12 hours from signing in.
    assert first.session_ends_at == NOW + timedelta(hours=12)
    assert first.refresh_token != signed_in.refresh_token

    second = await tokens_for(first.refresh_token, ORG, at)
    # The same token again a moment later (a reload cut off the answer that carried
    # `second`): another token of the chain, and the chain lives on.
    sibling = await tokens_for(first.refresh_token, ORG, at + ROTATION_GRACE / 2)
    assert sibling.refresh_token not in (first.refresh_token, second.refresh_token)
    # The first token again after the grace: copied, so the whole session ends, its newest
    # tokens too. The grace counts from the first rotation, not from the latest use.
    with pytest.raises(
        SessionEnded, match=r"^This session has ended or is not valid: please sign in again\.$"
    ):
        await tokens_for(first.refresh_token, ORG, at + ROTATION_GRACE)
    with pytest.raises(SessionEnded):
        await tokens_for(sibling.refresh_token, ORG, at)
    with pytest.raises(SessionEnded):
        await tokens_for(second.refresh_token, ORG, at)
    with pytest.raises(SessionEnded):
        await tokens_for("never-issued", ORG, at)


async def test_signing_out_ends_every_token_of_the_session(uow: FakeUnitOfWork) -> None:
    _, mail = await invite(uow, "anna@example.org", "admin")
    signer = Signer(Ed25519PrivateKey.generate(), "safehands")
    first = await exchange_code(uow.database, code_in(mail), operators=NO_OPERATORS, now=NOW)
    _, mail = await invite(uow, "anna@example.org", "admin")
    other = await exchange_code(uow.database, code_in(mail), operators=NO_OPERATORS, now=NOW)
    issued = await issue_tokens(
        uow.database,
        signer,
        first.refresh_token,
        org_id=ORG,
        sub=None,
        operators=NO_OPERATORS,
        now=NOW,
    )
    await sign_out(uow.database, first.refresh_token, now=NOW)
    await sign_out(uow.database, "never-issued", now=NOW)
    with pytest.raises(SessionEnded):
        await issue_tokens(
            uow.database,
            signer,
            issued.refresh_token,
            org_id=ORG,
            sub=None,
            operators=NO_OPERATORS,
            now=NOW,
        )
    # Another sign-in's session goes on.
    await issue_tokens(
        uow.database,
        signer,
        other.refresh_token,
        org_id=ORG,
        sub=None,
        operators=NO_OPERATORS,
        now=NOW,
    )


async def test_signing_out_everywhere_ends_every_session_of_the_person(
    uow: FakeUnitOfWork,
) -> None:
    signer = Signer(Ed25519PrivateKey.generate(), "safehands")
    _, mail = await invite(uow, "anna@example.org", "admin")
    here = await exchange_code(uow.database, code_in(mail), operators=NO_OPERATORS, now=NOW)
    _, mail = await invite(uow, "anna@example.org", "admin")
    phone = await exchange_code(uow.database, code_in(mail), operators=NO_OPERATORS, now=NOW)
    _, mail = await invite(uow, "bram@example.org", "coordinator")
    bram = await exchange_code(uow.database, code_in(mail), operators=NO_OPERATORS, now=NOW)
    await sign_out(uow.database, here.refresh_token, everywhere=True, now=NOW)
    for ended in (here, phone):
        with pytest.raises(SessionEnded):
            await issue_tokens(
                uow.database,
                signer,
                ended.refresh_token,
                org_id=ORG,
                sub=None,
                operators=NO_OPERATORS,
                now=NOW,
            )
    # Another person's session goes on.
    await issue_tokens(
        uow.database,
        signer,
        bram.refresh_token,
        org_id=ORG,
        sub=None,
        operators=NO_OPERATORS,
        now=NOW,
    )


async def test_a_reloaded_page_learns_the_memberships_and_the_last_one_used(
    uow: FakeUnitOfWork,
) -> None:
    """`session_of` (POST /v1/session) reads without rotating; the membership last given an
    access token is the preferred one, here and at the next sign-in."""
    signer = Signer(Ed25519PrivateKey.generate(), "safehands")
    operators = frozenset({"anna@example.org"})
    anna, mail = await invite(uow, "anna@example.org", "admin")
    signed_in = await exchange_code(uow.database, code_in(mail), operators=operators, now=NOW)
    assert [m.org_id for m in signed_in.memberships] == [None, ORG]
    assert signed_in.preferred is not None and signed_in.preferred.org_id == ORG
    view = await session_of(uow.database, signed_in.refresh_token, operators=operators, now=NOW)
    # Nothing used yet, two memberships: the person chooses.
    assert view.memberships == signed_in.memberships and view.preferred is None
    issued = await issue_tokens(
        uow.database,
        signer,
        signed_in.refresh_token,
        org_id=None,
        sub=None,
        operators=operators,
        now=NOW,
    )
    view = await session_of(uow.database, issued.refresh_token, operators=operators, now=NOW)
    assert view.preferred is not None and view.preferred.roles == ("operator",)
    later = NOW + timedelta(minutes=5)
    issued = await issue_tokens(
        uow.database,
        signer,
        issued.refresh_token,
        org_id=ORG,
        sub=None,
        operators=operators,
        now=later,
    )
    view = await session_of(uow.database, issued.refresh_token, operators=operators, now=later)
    assert view.preferred is not None and view.preferred.sub == anna
    # The next sign-in by link starts there too.
    mail = await request_sign_in(
        uow.database,
        "anna@example.org",
        next_page=None,
        operators=operators,
        web_url=WEB,
        now=later,
    )
    assert mail is not None
    again = await exchange_code(uow.database, code_in(mail), operators=operators, now=later)
    assert again.preferred is not None and again.preferred.sub == anna
    # A used (rotated) token is not read: it ends the session, as for a refresh.
    with pytest.raises(SessionEnded):
        await session_of(uow.database, signed_in.refresh_token, operators=operators, now=later)
    with pytest.raises(SessionEnded):
        await session_of(uow.database, issued.refresh_token, operators=operators, now=later)


async def test_a_vcp_appointed_without_a_key_is_invited_to_the_vcp_page_once(
    uow: FakeUnitOfWork,
) -> None:
    await uow.collection(VCP_INVITATIONS).insert_one(
        {"vcp_id": "anna", "email": "anna@example.org", "name": "Anna", "sent_at": None}
    )
    [pending] = await pending_invitations(uow.database, limit=10)
    mail = await invite_vcp(uow.database, pending, web_url=WEB, now=NOW)
    assert mail is not None
    assert (mail.to, mail.kind) == ("anna@example.org", "vcp_invitation")
    assert "De Club" in mail.content.text
    code = code_in(mail)
    stored = await uow.database.platform_collection(SIGN_IN_CODES).find_one({})
    assert stored is not None and stored["next"] == "/vcp"
    assert code not in str(stored), "only the code's hash is kept"
    # Claimed: the job finds nothing more, and a second instance with the same row mails nothing.
    assert await pending_invitations(uow.database, limit=10) == []
    assert await invite_vcp(uow.database, pending, web_url=WEB, now=NOW) is None


async def test_an_invitation_not_mailed_yet_is_not_mailed_to_a_vcp_dismissed_meanwhile(
    uow: FakeUnitOfWork,
) -> None:
    """The job mails invitations every few seconds: a VCP dismissed before then gets no
    link to the workspace; one mailed already stays recorded as mailed."""
    for vcp_id in ("anna", "bram"):
        appointed = VCPAppointed(
            org_id=ORG,
            vcp_id=vcp_id,
            name=vcp_id.title(),
            email=f"{vcp_id}@example.org",
            public_key={},
            fingerprint="",
        )
        await on_vcp_appointed(appointed, uow)
    [bram] = [p for p in await pending_invitations(uow.database, limit=10) if p["vcp_id"] == "bram"]
    assert await invite_vcp(uow.database, bram, web_url=WEB, now=NOW) is not None
    for vcp_id in ("anna", "bram"):
        dismissed = VCPDismissed(org_id=ORG, vcp_id=vcp_id, fingerprint="", dismissed_at=NOW)
        await on_vcp_dismissed(dismissed, uow)
    assert await pending_invitations(uow.database, limit=10) == []
    assert [i["vcp_id"] for i in await uow.collection(VCP_INVITATIONS).find({})] == ["bram"]
