"""The reporter's choice of VCPs (issue 24 item 1): the conversation of a case is sealed to
the VCPs in it, a VCP the reporter left out never gets the case by a hand-over, and the
introduction a VCP writes is bounded and kept as written. The centre's VCPs (item 2) accept
before they set a key, and one who declines may be asked again."""

from __future__ import annotations

import hashlib
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError

from services.reports.bootstrap import DEFINITION
from services.reports.case_documents import case_members, case_settings_from
from services.reports.domain.errors import (
    HandOverNotPossible,
    IdNotReusable,
    InvalidSealing,
    NoSuchVCP,
    NotAccepted,
)
from services.reports.domain.recipients import (
    KeyRecord,
    case_keys,
    clean_introduction,
    left_out,
    recipients_problem,
)
from services.reports.event_handlers import new_case
from services.reports.storage import INDEXES, REPORTS, VCP_KEY_HISTORY, VCPS
from services.reports.use_cases.cases import KeyShare, NewMessage, post_message, share_keys
from services.reports.use_cases.centre_vcps import Acceptance, add_centre_vcp, answer_request
from services.reports.use_cases.mailbox import ReporterMessage, post_reporter_message
from services.reports.use_cases.vcps import (
    NewIntroduction,
    NewVCP,
    appoint_vcp,
    dismiss_vcp,
    set_introduction,
    set_public_key,
)
from shared.crypto import (
    SUITE_X25519,
    Envelope,
    PrivateKey,
    message_context,
    report_context,
    reseal_content_key,
    seal,
)
from shared.events.reports import IncidentReported, VCPAppointed, VCPDismissed
from tests.support.fake_unit_of_work import FakeUnitOfWork

ORG = "club"
BEFORE = datetime(2026, 3, 1, tzinfo=UTC)
RECEIVED = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
SECRET = "5e" * 32


def test_the_case_keys_are_the_current_keys_of_the_vcps_sealed_to() -> None:
    keys = [
        KeyRecord("anna", "a-old", BEFORE, RECEIVED + timedelta(days=1)),
        KeyRecord("anna", "a-new", RECEIVED + timedelta(days=1), None),
        KeyRecord("bram", "b", BEFORE, None),
        KeyRecord("carla", "c", RECEIVED + timedelta(days=2), None),
    ]
    current = {"anna": "a-new", "bram": "b", "carla": "c"}
    # Anna replaced her key after the report: the conversation goes to her new one.
    assert case_keys({"a-old"}, keys, current) == {"a-new"}
    # Bram had a key when the report came in and was not chosen; Carla came later.
    assert left_out({"a-old"}, RECEIVED, keys) == {"bram"}
    assert left_out({"a-old", "b"}, RECEIVED, keys) == set()


def test_a_message_must_reach_the_case_and_no_stranger() -> None:
    assert recipients_problem({"a"}, {"a"}, {"a", "b"}) is None
    # A client of the first contract seals to every VCP key: accepted.
    assert recipients_problem({"a", "b"}, {"a"}, {"a", "b"}) is None
    assert recipients_problem({"b"}, {"a"}, {"a", "b"}) == (
        "is not sealed to every VCP of the case"
    )
    assert recipients_problem({"a", "x"}, {"a"}, {"a", "b"}) == (
        "is sealed to a key that is no current VCP key of the organisation"
    )


def test_an_introduction_is_bounded_and_one_of_a_few_lines() -> None:
    assert clean_introduction("  Ik ben Anna.\nBel me op dinsdag.  ") == (
        "Ik ben Anna.\nBel me op dinsdag."
    )
    assert clean_introduction("   ") is None
    with pytest.raises(ValueError, match="control characters"):
        clean_introduction("Anna\x07")
    with pytest.raises(ValueError, match="control characters"):
        clean_introduction("Anna\u202e")
    with pytest.raises(ValidationError):
        NewIntroduction(introduction="x" * 501)
    assert NewIntroduction(introduction="x" * 500).introduction == "x" * 500


class TwoVcps:
    """An organisation with Anna and Bram, both with a key; a report sealed to Anna alone."""

    def __init__(self) -> None:
        self.uow = FakeUnitOfWork(ORG, indexes=INDEXES, publishes=DEFINITION.publishes)
        self.anna = PrivateKey.generate(SUITE_X25519)
        self.bram = PrivateKey.generate(SUITE_X25519)
        self.reporter = PrivateKey.generate(SUITE_X25519)
        self.report_id = str(uuid.uuid4())

    async def arrive(self) -> None:
        for vcp_id, key in (("anna", self.anna), ("bram", self.bram)):
            vcp = NewVCP(vcp_id=vcp_id, name=vcp_id.title(), email=f"{vcp_id}@example.org")
            await appoint_vcp(self.uow, vcp, appointed_at=BEFORE)
            await set_public_key(self.uow, vcp_id, key.public_key, set_at=BEFORE, set_by=vcp_id)
        envelope = seal(
            {"category": "other", "description": "x", "wants_contact": False},
            [self.anna.public_key],
            report_context(ORG, self.report_id),
        )
        received = IncidentReported(
            org_id=ORG,
            report_id=self.report_id,
            envelope=envelope.model_dump(),
            mailbox_lookup=hashlib.sha256(bytes.fromhex(SECRET)).hexdigest(),
            reply_key=self.reporter.public_key.model_dump(),
            received_at=RECEIVED,
        )
        await self.uow.collection(REPORTS).insert_one(
            new_case(received, case_settings_from(None), RECEIVED)
        )

    def message(self, *keys: PrivateKey) -> tuple[uuid.UUID, object]:
        message_id = uuid.uuid4()
        envelope = seal(
            {"text": "dank"},
            [k.public_key for k in keys],
            message_context(ORG, self.report_id, str(message_id)),
        )
        return message_id, envelope


@pytest.fixture
async def chosen() -> TwoVcps:
    setup = TwoVcps()
    await setup.arrive()
    return setup


async def test_the_conversation_is_sealed_to_the_chosen_vcp(chosen: TwoVcps) -> None:
    [report] = await chosen.uow.collection(REPORTS).find({})
    members = await case_members(
        report, chosen.uow.collection(VCP_KEY_HISTORY), chosen.uow.collection(VCPS)
    )
    assert (members.keys, members.vcp_ids, members.left_out) == (
        {chosen.anna.fingerprint},
        {"anna"},
        {"bram"},
    )
    at = RECEIVED + timedelta(hours=1)
    # Sealed to Bram alone, the reporter's answer would reach nobody in the case.
    message_id, envelope = chosen.message(chosen.bram)
    with pytest.raises(InvalidSealing, match="not sealed to every VCP of the case"):
        await post_reporter_message(
            chosen.uow,
            ReporterMessage(secret=SECRET, message_id=message_id, envelope=envelope),
            at=at,
        )
    message_id, envelope = chosen.message(chosen.anna)
    await post_reporter_message(
        chosen.uow, ReporterMessage(secret=SECRET, message_id=message_id, envelope=envelope), at=at
    )
    message_id, envelope = chosen.message(chosen.anna, chosen.reporter)
    reply = NewMessage(message_id=message_id, envelope=envelope)
    await post_message(chosen.uow, chosen.report_id, reply, vcp_id="anna", at=at)
    # A reply that leaves out the reporter's reply key is refused.
    message_id, envelope = chosen.message(chosen.anna)
    with pytest.raises(InvalidSealing):
        await post_message(
            chosen.uow,
            chosen.report_id,
            NewMessage(message_id=message_id, envelope=envelope),
            vcp_id="anna",
            at=at,
        )


async def test_the_case_is_never_handed_to_a_vcp_the_reporter_left_out(chosen: TwoVcps) -> None:
    [report] = await chosen.uow.collection(REPORTS).find({})
    entry = reseal_content_key(
        Envelope.model_validate(report["envelope"]),
        chosen.anna,
        report_context(ORG, chosen.report_id),
        chosen.bram.public_key,
    )
    share = KeyShare(vcp_id="bram", report=entry)
    with pytest.raises(HandOverNotPossible, match="reporter chose not to send this report"):
        await share_keys(chosen.uow, chosen.report_id, share, shared_by="anna")
    [unchanged] = await chosen.uow.collection(REPORTS).find({})
    assert len(unchanged["envelope"]["recipients"]) == 1

    # Carla, appointed after the report, is no one the reporter left out: she may take it.
    carla = PrivateKey.generate(SUITE_X25519)
    vcp = NewVCP(vcp_id="carla", name="Carla", email="carla@example.org")
    later = RECEIVED + timedelta(days=1)
    await appoint_vcp(chosen.uow, vcp, appointed_at=later)
    await set_public_key(chosen.uow, "carla", carla.public_key, set_at=later, set_by="carla")
    entry = reseal_content_key(
        Envelope.model_validate(report["envelope"]),
        chosen.anna,
        report_context(ORG, chosen.report_id),
        carla.public_key,
    )
    shared = await share_keys(
        chosen.uow, chosen.report_id, KeyShare(vcp_id="carla", report=entry), shared_by="anna"
    )
    assert shared["report_shared"] is True


async def test_a_vcp_writes_their_introduction_which_follows_their_key() -> None:
    uow = FakeUnitOfWork(ORG, indexes=INDEXES, publishes=DEFINITION.publishes)
    await appoint_vcp(
        uow, NewVCP(vcp_id="anna", name="Anna", email="a@example.org"), appointed_at=BEFORE
    )
    assert await set_introduction(uow, "anna", "Trainer, bereikbaar op dinsdag.") == (
        "Trainer, bereikbaar op dinsdag."
    )
    key = PrivateKey.generate(SUITE_X25519)
    await set_public_key(uow, "anna", key.public_key, set_at=BEFORE, set_by="anna")
    [anna] = await uow.collection(VCPS).find({})
    assert anna["introduction"] == "Trainer, bereikbaar op dinsdag."
    assert await set_introduction(uow, "anna", "") is None
    [anna] = await uow.collection(VCPS).find({})
    assert anna["introduction"] is None


async def test_a_centre_vcp_accepts_before_setting_a_key_and_stays_marked() -> None:
    uow = FakeUnitOfWork(ORG, indexes=INDEXES, publishes=DEFINITION.publishes)
    carla = NewVCP(vcp_id="centre-carla", name="Carla", email="carla@centre.example")
    await add_centre_vcp(uow, carla, added_at=BEFORE)
    [appointed] = uow.published
    assert isinstance(appointed, VCPAppointed) and appointed.centre is True
    key = PrivateKey.generate(SUITE_X25519)
    with pytest.raises(NotAccepted, match="Accept this organisation's request"):
        await set_public_key(uow, "centre-carla", key.public_key, set_at=BEFORE, set_by="x")
    assert await answer_request(uow, "centre-carla", Acceptance(accept=True), at=BEFORE)
    await set_public_key(uow, "centre-carla", key.public_key, set_at=BEFORE, set_by="x")
    [keyed] = await uow.collection(VCPS).find({})
    assert keyed["centre"] is True
    # Once she serves with a key, declining is no longer the way out.
    with pytest.raises(NotAccepted, match="serve this organisation already"):
        await answer_request(uow, "centre-carla", Acceptance(accept=False), at=BEFORE)


async def test_a_centre_vcp_who_declines_is_dismissed_without_retiring_the_id() -> None:
    uow = FakeUnitOfWork(ORG, indexes=INDEXES, publishes=DEFINITION.publishes)
    dirk = NewVCP(vcp_id="centre-dirk", name="Dirk", email="dirk@centre.example")
    await add_centre_vcp(uow, dirk, added_at=BEFORE)
    assert not await answer_request(uow, "centre-dirk", Acceptance(accept=False), at=BEFORE)
    assert isinstance(uow.published[-1], VCPDismissed)
    await add_centre_vcp(uow, dirk, added_at=RECEIVED)
    # An organisation's own VCP is never asked.
    await appoint_vcp(
        uow, NewVCP(vcp_id="own", name="Own", email="o@x.example"), appointed_at=BEFORE
    )
    with pytest.raises(NoSuchVCP):
        await answer_request(uow, "own", Acceptance(accept=True), at=BEFORE)


async def test_an_organisation_that_withdraws_its_request_may_ask_the_centre_vcp_again() -> None:
    uow = FakeUnitOfWork(ORG, indexes=INDEXES, publishes=DEFINITION.publishes)
    eva = NewVCP(vcp_id="centre-eva", name="Eva", email="eva@centre.example")
    await add_centre_vcp(uow, eva, added_at=BEFORE)
    await dismiss_vcp(uow, "centre-eva", dismissed_at=BEFORE)
    await add_centre_vcp(uow, eva, added_at=RECEIVED)
    # The organisation's own VCP ids stay retired, as before.
    own = NewVCP(vcp_id="own", name="Own", email="o@x.example")
    await appoint_vcp(uow, own, appointed_at=BEFORE)
    await dismiss_vcp(uow, "own", dismissed_at=BEFORE)
    with pytest.raises(IdNotReusable):
        await appoint_vcp(uow, own, appointed_at=RECEIVED)
