"""Report ids as a VCP types them: unique prefixes, ambiguities named, short ids whole."""

from __future__ import annotations

import uuid

import pytest

from cli.conversation import ConversationMessage, author_label
from cli.report_ids import ReportIdError, resolve_report_id, short_ids

IDS = [
    "6dd287fb-b7a1-4c2e-9f00-000000000001",
    "6dd287fb-b7a2-4c2e-9f00-000000000002",
    "0a1b2c3d-0000-4000-8000-000000000003",
]


def test_a_unique_prefix_names_its_report_in_any_case() -> None:
    assert resolve_report_id("0a1b", IDS, "demo") == IDS[2]
    assert resolve_report_id("6DD287FB-B7A2", IDS, "demo") == IDS[1]
    assert resolve_report_id(IDS[0], IDS, "demo") == IDS[0]


def test_an_ambiguous_prefix_gets_a_sentence_listing_the_candidates() -> None:
    with pytest.raises(ReportIdError) as raised:
        resolve_report_id("6dd2", IDS, "demo")
    message = str(raised.value)
    assert message.startswith("'6dd2' matches 2 reports of demo: ")
    assert IDS[0] in message and IDS[1] in message and IDS[2] not in message
    assert message.endswith("type more characters of the id.")


def test_many_candidates_are_counted_beyond_the_first_five() -> None:
    ids = [f"aaaa{n:04d}-0000-4000-8000-000000000000" for n in range(8)]
    with pytest.raises(ReportIdError, match=r"matches 8 reports .* and 3 more;"):
        resolve_report_id("aaaa", ids, "demo")


def test_no_match_and_empty_prefix_are_refused_in_a_sentence() -> None:
    with pytest.raises(ReportIdError, match="No report of demo has an id starting with 'ff'"):
        resolve_report_id("ff", IDS, "demo")
    with pytest.raises(ReportIdError, match="Give a report id"):
        resolve_report_id("  ", IDS, "demo")


def test_short_ids_are_the_shortest_unique_prefixes_of_at_least_eight() -> None:
    short = short_ids(IDS)
    assert short[IDS[2]] == "0a1b2c3d"
    # The twins share 12 characters, so each needs 13.
    assert short[IDS[0]] == "6dd287fb-b7a1" and short[IDS[1]] == "6dd287fb-b7a2"


def test_every_short_id_resolves_back_to_its_report() -> None:
    ids = [str(uuid.uuid4()) for _ in range(3000)]
    for report_id, short in short_ids(ids).items():
        assert resolve_report_id(short, ids, "demo") == report_id


def message(sender: str, vcp_id: str | None = None) -> ConversationMessage:
    return ConversationMessage("m", sender, "2026-03-01T10:00:00Z", "tekst", vcp_id=vcp_id)  # type: ignore[arg-type]


def test_labels_name_the_writer_in_one_casing() -> None:
    # The VCP who reads: their own messages are "You", a predecessor's carry their id.
    assert author_label(message("vcp", "bram"), "vcp", "bram") == "You"
    assert author_label(message("vcp", "anna"), "vcp", "bram") == "VCP anna"
    assert author_label(message("vcp"), "vcp", "bram") == "VCP"
    assert author_label(message("reporter"), "vcp", "bram") == "Reporter"
    # The reporter: the server shows no vcp_id to them.
    assert author_label(message("reporter"), "reporter") == "You"
    assert author_label(message("vcp"), "reporter") == "VCP"
