"""One suite per organisation: the rule behind PUT …/public-key's and POST …/vcps' 409."""

from services.reports.domain.vcp_keys import suite_conflict


def test_a_key_of_the_organisations_suite_or_the_first_key_fits() -> None:
    assert suite_conflict("MLKEM768-X25519", []) is None
    assert suite_conflict("MLKEM768-X25519", ["MLKEM768-X25519", "MLKEM768-X25519"]) is None


def test_a_key_of_another_suite_is_refused_with_both_suites_named() -> None:
    problem = suite_conflict("X25519", ["MLKEM768-X25519"])
    assert problem is not None
    assert "MLKEM768-X25519" in problem and "X25519 key" in problem
