"""identity's rules with the clock passed in: codes, sessions, memberships, token expiry."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from services.identity.domain.mails import (
    Language,
    invitation_mail,
    language_of,
    sign_in_mail,
    vcp_invitation_mail,
)
from services.identity.domain.memberships import (
    LastAdmin,
    Membership,
    check_removal,
    membership_for_token,
    memberships_of,
    merged_roles,
)
from services.identity.domain.sessions import (
    ACCESS_TOKEN_LIFETIME,
    ROTATION_GRACE,
    SESSION_IDLE_LIMIT,
    SESSION_LIFETIME,
    RefreshVerdict,
    hash_refresh_token,
    new_refresh_token,
    refresh_verdict,
)
from services.identity.domain.sign_in import (
    SIGN_IN_LINK_LIFETIME,
    code_is_usable,
    hash_code,
    is_page_path,
    new_code,
    sign_in_link,
)
from services.identity.signing import Signer
from shared.auth.tokens import InvalidToken, verify_token

T0 = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def test_a_code_is_256_random_bits_kept_only_as_its_sha256() -> None:
    first, second = new_code(), new_code()
    assert first.code != second.code
    assert len(first.code) == 43  # 32 bytes, base64url without padding
    assert first.code_hash == hash_code(first.code) and first.code not in first.code_hash
    assert len(first.code_hash) == 64


def test_a_link_carries_the_code_in_the_fragment() -> None:
    assert sign_in_link("https://safehands.example/", "abc") == (
        "https://safehands.example/sign-in/callback#code=abc"
    )


def test_a_code_is_usable_once_and_for_fifteen_minutes() -> None:
    expires = T0 + SIGN_IN_LINK_LIFETIME
    assert timedelta(minutes=15) == SIGN_IN_LINK_LIFETIME
    assert code_is_usable(expires, None, T0 + timedelta(minutes=14, seconds=59))
    assert not code_is_usable(expires, None, T0 + timedelta(minutes=15))
    assert not code_is_usable(expires, T0 + timedelta(minutes=1), T0 + timedelta(minutes=2))


@pytest.mark.parametrize(
    ("path", "ok"),
    [
        ("/me", True),
        ("/o/demo/admin?tab=members", True),
        ("//evil.example", False),
        ("https://evil.example", False),
        ("/\\evil.example", False),
        ("me", False),
        ("/a b", False),
    ],
)
def test_next_stays_on_the_web_app(path: str, ok: bool) -> None:
    assert is_page_path(path) is ok


def test_refresh_verdicts() -> None:
    expires = T0 + SESSION_LIFETIME
    usable = {"found": True, "used_at": None, "revoked_at": None, "expires_at": expires}
    assert refresh_verdict(**usable, now=T0) is RefreshVerdict.USABLE  # type: ignore[arg-type]
    # Retired moments ago (a renewal whose answer a reload cut off): still usable.
    assert refresh_verdict(**{**usable, "used_at": T0}, now=T0) is RefreshVerdict.USABLE  # type: ignore[arg-type]
    just_inside = T0 + ROTATION_GRACE - timedelta(microseconds=1)
    assert refresh_verdict(**{**usable, "used_at": T0}, now=just_inside) is RefreshVerdict.USABLE  # type: ignore[arg-type]
    later = T0 + ROTATION_GRACE
    assert refresh_verdict(**{**usable, "used_at": T0}, now=later) is RefreshVerdict.REUSED  # type: ignore[arg-type]
    assert timedelta(seconds=10) == ROTATION_GRACE
    assert refresh_verdict(**{**usable, "revoked_at": T0}, now=T0) is RefreshVerdict.REVOKED  # type: ignore[arg-type]
    assert refresh_verdict(**usable, now=expires) is RefreshVerdict.EXPIRED  # type: ignore[arg-type]
    assert (
        refresh_verdict(found=False, used_at=None, revoked_at=None, expires_at=None, now=T0)
        is RefreshVerdict.UNKNOWN
    )
    assert timedelta(hours=12) == SESSION_LIFETIME


def test_a_session_left_idle_for_half_an_hour_has_ended() -> None:
    """The web app signs out after 30 idle minutes; a cookie outliving a closed tab must not
    bring the session back later (the server's limit has a minute of margin)."""
    expires = T0 + SESSION_LIFETIME
    issued = {"found": True, "used_at": None, "revoked_at": None, "expires_at": expires}
    just_in = T0 + timedelta(minutes=30, seconds=15)
    assert refresh_verdict(**issued, issued_at=T0, now=just_in) is RefreshVerdict.USABLE  # type: ignore[arg-type]
    too_late = T0 + SESSION_IDLE_LIMIT
    assert refresh_verdict(**issued, issued_at=T0, now=too_late) is RefreshVerdict.EXPIRED  # type: ignore[arg-type]
    assert timedelta(minutes=30) < SESSION_IDLE_LIMIT <= timedelta(minutes=31)


def test_refresh_tokens_are_random_and_stored_hashed() -> None:
    token, stored = new_refresh_token()
    assert stored == hash_refresh_token(token) and token not in stored
    assert new_refresh_token()[0] != token


def staff(org: str, sub: str, *roles: str) -> Membership:
    return Membership(org_id=org, roles=roles, sub=sub, kind="staff")  # type: ignore[arg-type]


def test_memberships_operator_first_then_per_organisation_staff_before_vcp() -> None:
    vcp = Membership(org_id="a", roles=("vcp",), sub="vera", kind="vcp")
    rows = [vcp, staff("b", "m-2", "coordinator"), staff("a", "m-1", "admin")]
    every = memberships_of("op@example.org", frozenset({"op@example.org"}), "person-1", rows)
    assert [(m.org_id, m.sub) for m in every] == [
        (None, "person-1"),
        ("a", "m-1"),
        ("a", "vera"),
        ("b", "m-2"),
    ]
    assert membership_for_token(every, "a", None) == every[1]
    assert membership_for_token(every, "a", "vera") == vcp
    assert membership_for_token(every, None, None) == every[0]
    assert membership_for_token(every, "c", None) is None
    assert memberships_of("x@example.org", frozenset({"op@example.org"}), "p", []) == []


def test_roles_merge_in_a_fixed_order() -> None:
    assert merged_roles(("coordinator",), ("admin", "coordinator")) == ("admin", "coordinator")


def test_never_the_last_admin() -> None:
    with pytest.raises(LastAdmin):
        check_removal(["m-1"], "m-1")
    check_removal(["m-1", "m-2"], "m-1")
    check_removal(["m-1"], "coordinator-1")


def test_mails_in_the_organisations_language_dutch_by_default() -> None:
    assert language_of(None) == "nl" and language_of("en") == "en" and language_of("fr") == "nl"
    dutch = sign_in_mail("nl", "https://w/sign-in/callback#code=c", 15)
    english = sign_in_mail("en", "https://w/sign-in/callback#code=c", 15)
    assert "inloglink" in dutch.subject and "sign-in link" in english.subject
    assert "#code=c" in dutch.text and "15" in english.text
    invitation = invitation_mail(
        "nl",
        name="Sam",
        organisation="De Bevers",
        roles=("admin",),
        link="L",
        sign_in_page="P",
        days=3,
    )
    assert "beheerder" in invitation.text and "De Bevers" in invitation.subject


@pytest.mark.parametrize(("language", "word"), [("nl", "vertrouwenscontactpersoon"), ("en", "key")])
def test_a_vcp_invitation_holds_the_link_and_says_no_report_reaches_them_before_their_key(
    language: Language, word: str
) -> None:
    link = "https://w/sign-in/callback#code=c"
    mail = vcp_invitation_mail(
        language, name="Bram", organisation="De Bevers", link=link, sign_in_page="P", days=3
    )
    assert "De Bevers" in mail.subject and "\n" not in mail.subject
    assert link in mail.text and "Bram" in mail.text and word in mail.text
    assert "3" in mail.text and "P" in mail.text


def test_a_removed_members_access_token_stops_within_its_lifetime() -> None:
    """A removed member cannot refresh (the e2e tests show it); the token they hold works at
    most ACCESS_TOKEN_LIFETIME longer. The clock is passed in."""
    key = Ed25519PrivateKey.generate()
    signer = Signer(key, "safehands")
    coordinator = staff("org-a", "m-7", "coordinator")
    token = signer.access_token(coordinator, issued_at=T0)
    assert timedelta(minutes=10) == ACCESS_TOKEN_LIFETIME
    still = verify_token(token, key.public_key(), now=T0 + timedelta(minutes=9, seconds=59))
    assert (still.sub, still.org, still.roles) == ("m-7", "org-a", frozenset({"coordinator"}))
    # Past its expiry (plus at most the 30 s allowed for clock differences): refused.
    with pytest.raises(InvalidToken):
        verify_token(token, key.public_key(), now=T0 + timedelta(minutes=10, seconds=30))
