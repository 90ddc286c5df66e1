from __future__ import annotations

import hashlib

import pytest

from shared.domain.code_of_conduct import code_sha256, next_version, signature_matches


def test_sha256_of_known_text() -> None:
    assert code_sha256("abc") == (
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    )


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Be kind.", "Be kind.\n"),
        ("Be kind.\n", "Be kind.\r\n"),
        ("Be kind.", "Be  kind."),
        ("caf\u00e9", "cafe\u0301"),  # composed and decomposed é look alike but differ
    ],
)
def test_any_change_to_the_text_changes_the_hash(a: str, b: str) -> None:
    assert code_sha256(a) != code_sha256(b)


def test_hash_is_over_utf8_bytes() -> None:
    text = "Gedragscode — één regel"

    assert code_sha256(text) == hashlib.sha256(text.encode("utf-8")).hexdigest()


@pytest.mark.parametrize(("current", "following"), [(None, 1), (1, 2), (7, 8)])
def test_versions_count_from_one(current: int | None, following: int) -> None:
    assert next_version(current) == following


def test_a_version_below_one_is_refused() -> None:
    with pytest.raises(ValueError, match="start at 1"):
        next_version(0)


CURRENT_SHA = code_sha256("v2 text")
OLD_SHA = code_sha256("v1 text")

# version, sha256, current version, current sha256, matches
SIGNATURE_TABLE = [
    (2, CURRENT_SHA, 2, CURRENT_SHA, True),
    (2, CURRENT_SHA.upper(), 2, CURRENT_SHA, True),
    (1, OLD_SHA, 2, CURRENT_SHA, False),
    (1, CURRENT_SHA, 2, CURRENT_SHA, False),
    (2, OLD_SHA, 2, CURRENT_SHA, False),
    (3, CURRENT_SHA, 2, CURRENT_SHA, False),
    (1, CURRENT_SHA, None, None, False),
]


@pytest.mark.parametrize(("version", "sha", "current", "current_sha", "matches"), SIGNATURE_TABLE)
def test_signature_matches_only_the_current_text(
    version: int, sha: str, current: int | None, current_sha: str | None, matches: bool
) -> None:
    assert signature_matches(version, sha, current, current_sha) is matches
