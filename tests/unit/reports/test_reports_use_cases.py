"""reports' use cases on a fake unit of work: a case moves along its workflow, the
conversation takes well-sealed messages until the case is closed, and each refusal is the
domain error that http_routes/ turns into its status (tests/support/fake_unit_of_work.py)."""

from __future__ import annotations

import hashlib
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError

from services.reports.bootstrap import DEFINITION
from services.reports.case_documents import case_settings_from, message_view
from services.reports.domain.errors import (
    AlreadyAppointed,
    AlreadyExists,
    CaseClosed,
    DismissalRefused,
    IdNotReusable,
    InvalidSealing,
    KeyConflict,
    NoSuchReport,
    NoSuchVCP,
)
from services.reports.domain.workflow import InvalidTransition
from services.reports.event_handlers import new_case
from services.reports.storage import (
    INDEXES,
    MESSAGES,
    REPORTS,
    VCP_KEY_HISTORY,
    VCPS,
    VCPS_AWAITING_KEY,
)
from services.reports.use_cases.cases import NewMessage, StatusChange, change_status, post_message
from services.reports.use_cases.mailbox import ReporterMessage, post_reporter_message
from services.reports.use_cases.statistics import release_statistics
from services.reports.use_cases.vcps import (
    NewVCP,
    appoint_vcp,
    day_of,
    dismiss_vcp,
    key_history,
    set_public_key,
)
from services.reports.use_cases.vcps import day_of as vcps_day_of
from shared.crypto import (
    SUITE_HYBRID,
    Envelope,
    PrivateKey,
    message_context,
    report_context,
    seal,
)
from shared.crypto.signing import sign_message, signature_holds, signing_public_key
from shared.events.reports import (
    IncidentReported,
    ReportAcknowledged,
    ReportClosed,
    ReportMessagePosted,
    ReportStatusChanged,
    VCPAppointed,
    VCPDismissed,
    VCPKeySet,
)
from tests.support.fake_unit_of_work import FakeUnitOfWork

ORG = "club"
RECEIVED = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
SECRET = "5e" * 32


class Case:
    """One report as intake announced it, with one VCP and the reporter's reply key."""

    def __init__(self, uow: FakeUnitOfWork) -> None:
        self.uow = uow
        self.report_id = str(uuid.uuid4())
        self.vcp = PrivateKey.generate(SUITE_HYBRID)
        self.reporter = PrivateKey.generate(SUITE_HYBRID)

    async def arrive(self) -> None:
        await self.uow.collection(VCPS).insert_one(
            {"vcp_id": "anna", "fingerprint": self.vcp.fingerprint}
        )
        envelope = seal(
            {"text": "it happened"},
            [self.vcp.public_key],
            report_context(ORG, self.report_id),
        )
        # As reports' batch handler stores a case that intake received.
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
            {"text": "thank you"},
            [key.public_key for key in keys],
            message_context(ORG, self.report_id, str(message_id)),
        )
        return message_id, envelope

    async def move_to(self, status: str, at: datetime) -> dict[str, object]:
        return await change_status(
            self.uow, self.report_id, StatusChange(status=status), vcp_id="anna", now=at
        )


@pytest.fixture
async def case() -> Case:
    uow = FakeUnitOfWork(ORG, indexes=INDEXES, publishes=DEFINITION.publishes)
    case = Case(uow)
    await case.arrive()
    return case


async def test_acknowledging_a_case_announces_the_step_and_who_took_it(case: Case) -> None:
    at = RECEIVED + timedelta(days=1)
    summary = await case.move_to("acknowledged", at)
    assert summary["status"] == "acknowledged"
    [report] = await case.uow.collection(REPORTS).find({})
    assert (report["status"], report["acknowledged_at"]) == ("acknowledged", at)
    assert case.uow.published == [
        ReportStatusChanged(
            org_id=ORG,
            report_id=case.report_id,
            status="acknowledged",
            previous_status="received",
            changed_at=at,
        ),
        ReportAcknowledged(org_id=ORG, report_id=case.report_id, vcp_id="anna", acknowledged_at=at),
    ]


async def test_a_case_is_not_closed_before_it_was_acknowledged(case: Case) -> None:
    with pytest.raises(
        InvalidTransition, match=r"^The report must be acknowledged before it can be closed\.$"
    ):
        await case.move_to("closed", RECEIVED)
    [report] = await case.uow.collection(REPORTS).find({})
    assert report["status"] == "received"
    assert case.uow.published == []


async def test_an_unknown_report_is_not_found(case: Case) -> None:
    with pytest.raises(NoSuchReport, match=r"^There is no report nope\.$"):
        await change_status(
            case.uow, "nope", StatusChange(status="acknowledged"), vcp_id="anna", now=RECEIVED
        )
    # Another organisation's unit of work does not see this one's report.
    other = case.uow.for_org("other")
    with pytest.raises(NoSuchReport):
        await change_status(
            other, case.report_id, StatusChange(status="acknowledged"), vcp_id="a", now=RECEIVED
        )


async def test_the_conversation_takes_well_sealed_messages_until_the_case_is_closed(
    case: Case,
) -> None:
    message_id, envelope = case.message(case.vcp, case.reporter)
    reply = NewMessage(message_id=message_id, envelope=envelope)
    at = RECEIVED + timedelta(hours=2)
    assert await post_message(case.uow, case.report_id, reply, vcp_id="anna", at=at) == str(
        message_id
    )
    with pytest.raises(AlreadyExists, match=f"^A message {message_id} already exists\\.$"):
        await post_message(case.uow, case.report_id, reply, vcp_id="anna", at=at)

    # The reporter's answer must be sealed to the case's VCP keys, and to no stranger.
    message_id, envelope = case.message(case.vcp, case.reporter)
    wrongly_sealed = ReporterMessage(secret=SECRET, message_id=message_id, envelope=envelope)
    with pytest.raises(InvalidSealing, match="sealed to a key that is no current VCP key"):
        await post_reporter_message(case.uow, wrongly_sealed, at=at)
    message_id, envelope = case.message(case.vcp)
    answer = ReporterMessage(secret=SECRET, message_id=message_id, envelope=envelope)
    await post_reporter_message(case.uow, answer, at=at)
    assert await case.uow.collection(MESSAGES).count() == 2

    await case.move_to("acknowledged", at)
    await case.move_to("closed", at)
    message_id, envelope = case.message(case.vcp)
    late = ReporterMessage(secret=SECRET, message_id=message_id, envelope=envelope)
    with pytest.raises(CaseClosed, match=r"^The report is closed\.$"):
        await post_reporter_message(case.uow, late, at=at)
    assert [type(event) for event in case.uow.published] == [
        ReportMessagePosted,
        ReportMessagePosted,
        ReportStatusChanged,
        ReportAcknowledged,
        ReportStatusChanged,
        ReportClosed,
    ]


async def test_a_mailbox_secret_that_opens_nothing_is_not_found(case: Case) -> None:
    message_id, envelope = case.message(case.vcp)
    stranger = ReporterMessage(secret="00" * 32, message_id=message_id, envelope=envelope)
    with pytest.raises(NoSuchReport, match=r"^No report belongs to this mailbox secret\.$"):
        await post_reporter_message(case.uow, stranger, at=RECEIVED)


async def test_vcps_are_appointed_once_and_keys_are_theirs_alone() -> None:
    uow = FakeUnitOfWork(ORG, indexes=INDEXES, publishes=DEFINITION.publishes)
    anna_key = PrivateKey.generate(SUITE_HYBRID).public_key
    anna = NewVCP(vcp_id="anna", name="Anna", email="anna@example.org")
    await appoint_vcp(uow, anna, appointed_at=RECEIVED)
    with pytest.raises(AlreadyAppointed, match=r"^VCP anna is already appointed\.$"):
        await appoint_vcp(uow, anna, appointed_at=RECEIVED)
    assert (
        await set_public_key(uow, "anna", anna_key, set_at=RECEIVED, set_by="anna")
        == anna_key.fingerprint()
    )
    # Bram is appointed too, then tries Anna's key: the unique index refuses it.
    bram = NewVCP(vcp_id="bram", name="Bram", email="bram@example.org")
    await appoint_vcp(uow, bram, appointed_at=RECEIVED)
    with pytest.raises(KeyConflict, match=r"^Another VCP of this organisation already has"):
        await set_public_key(uow, "bram", anna_key, set_at=RECEIVED, set_by="bram")
    with pytest.raises(NoSuchVCP, match=r"^There is no VCP carla\.$"):
        await set_public_key(uow, "carla", anna_key, set_at=RECEIVED, set_by="carla")
    assert [type(event) for event in uow.published] == [VCPAppointed, VCPKeySet, VCPAppointed]


def test_an_appointment_with_a_public_key_is_refused_with_a_reason() -> None:
    key = PrivateKey.generate(SUITE_HYBRID).public_key.model_dump()
    with pytest.raises(ValidationError) as refused:
        NewVCP.model_validate(
            {"vcp_id": "anna", "name": "Anna", "email": "anna@example.org", "public_key": key}
        )
    [error] = refused.value.errors()
    assert error["type"] == "public_key_refused"
    assert "registers it themself" in error["msg"]


async def test_a_dismissed_vcps_id_is_never_appointed_again() -> None:
    uow = FakeUnitOfWork(ORG, indexes=INDEXES, publishes=DEFINITION.publishes)
    for vcp_id in ("anna", "bram"):
        await appoint_vcp(
            uow,
            NewVCP(vcp_id=vcp_id, name=vcp_id, email=f"{vcp_id}@example.org"),
            appointed_at=RECEIVED,
        )
    await dismiss_vcp(uow, "bram", dismissed_at=RECEIVED)
    again = NewVCP(vcp_id="bram", name="Bram", email="admin@example.org")
    with pytest.raises(IdNotReusable, match=r"^VCP id bram belonged to a VCP who was dismissed"):
        await appoint_vcp(uow, again, appointed_at=RECEIVED)
    assert await uow.collection(VCPS_AWAITING_KEY).count() == 1


async def test_an_appointment_keeps_its_date_when_the_key_is_set() -> None:
    # The centre's public list takes a centre VCP's introduction from their earliest
    # appointment; a keyed appointment without its date tied with every other one.
    uow = FakeUnitOfWork(ORG, indexes=INDEXES, publishes=DEFINITION.publishes)
    await appoint_vcp(
        uow, NewVCP(vcp_id="anna", name="Anna", email="a@example.org"), appointed_at=RECEIVED
    )
    key = PrivateKey.generate(SUITE_HYBRID).public_key
    await set_public_key(uow, "anna", key, set_at=RECEIVED + timedelta(days=1), set_by="anna")
    [keyed] = await uow.collection(VCPS).find({})
    assert keyed["appointed_at"] == RECEIVED


async def test_every_key_stays_in_the_history_with_who_set_it_and_when() -> None:
    uow = FakeUnitOfWork(ORG, indexes=INDEXES, publishes=DEFINITION.publishes)
    first, second = (PrivateKey.generate(SUITE_HYBRID).public_key for _ in range(2))
    later = RECEIVED + timedelta(days=3)
    await appoint_vcp(
        uow, NewVCP(vcp_id="anna", name="Anna", email="a@example.org"), appointed_at=RECEIVED
    )
    await set_public_key(uow, "anna", first, set_at=RECEIVED, set_by="anna")
    await set_public_key(uow, "anna", second, set_at=later, set_by="anna")
    history = key_history(
        await uow.collection(VCP_KEY_HISTORY).find({}, sort=[("set_at", 1)]),
        await uow.collection(VCPS).find({}),
    )
    assert [
        (h["fingerprint"], h["set_by"], h["set_at"], h["until"], h["in_use"]) for h in history
    ] == [
        (first.fingerprint(), "anna", RECEIVED, later, False),
        (second.fingerprint(), "anna", later, None, True),
    ]
    [current] = await uow.collection(VCPS).find({})
    assert day_of(current["key_set_at"]) == later.date().isoformat()


async def test_the_last_vcp_with_a_key_is_not_dismissed(case: Case) -> None:
    with pytest.raises(DismissalRefused, match="last VCP with a key"):
        await dismiss_vcp(case.uow, "anna", dismissed_at=RECEIVED)
    assert await case.uow.collection(VCPS).count() == 1
    # A second VCP whom the open case is not sealed to does not make it readable.
    bram = PrivateKey.generate(SUITE_HYBRID).public_key
    await case.uow.collection(VCPS).insert_one(
        {
            "vcp_id": "bram",
            "name": "Bram",
            "fingerprint": bram.fingerprint(),
            "public_key": bram.model_dump(),
        }
    )
    with pytest.raises(DismissalRefused, match=f"^1 open case\\(s\\) .*: {case.report_id}\\.$"):
        await dismiss_vcp(case.uow, "anna", dismissed_at=RECEIVED)
    await dismiss_vcp(case.uow, "bram", dismissed_at=RECEIVED)
    assert isinstance(case.uow.published[-1], VCPDismissed)


async def test_a_vcp_the_report_is_not_sealed_to_cannot_open_or_move_it(case: Case) -> None:
    bram = PrivateKey.generate(SUITE_HYBRID)
    await case.uow.collection(VCPS).insert_one(
        {"vcp_id": "bram", "fingerprint": bram.fingerprint, "public_key": {}}
    )
    with pytest.raises(NoSuchReport):
        await change_status(
            case.uow,
            case.report_id,
            StatusChange(status="acknowledged"),
            vcp_id="bram",
            now=RECEIVED,
        )
    message_id, envelope = case.message(case.reporter, case.vcp, bram)
    reply = NewMessage(message_id=message_id, envelope=envelope)
    with pytest.raises(NoSuchReport):
        await post_message(case.uow, case.report_id, reply, vcp_id="bram", at=RECEIVED)
    assert case.uow.published == []


async def test_a_vcp_message_keeps_its_signature_which_the_reporter_is_shown(case: Case) -> None:
    message_id, envelope = case.message(case.vcp, case.reporter)
    assert isinstance(envelope, Envelope)
    signature = sign_message(case.vcp, ORG, case.report_id, str(message_id), envelope)
    at = RECEIVED + timedelta(hours=1)
    # Naming another VCP as the signer is refused; nothing is stored.
    as_bram = NewMessage(
        message_id=message_id, envelope=envelope, signature=signature, signed_by="bram"
    )
    with pytest.raises(InvalidSealing, match="signed_by must be the VCP who posts"):
        await post_message(case.uow, case.report_id, as_bram, vcp_id="anna", at=at)
    assert await case.uow.collection(MESSAGES).count() == 0
    signed = NewMessage(message_id=message_id, envelope=envelope, signature=signature)
    await post_message(case.uow, case.report_id, signed, vcp_id="anna", at=at)
    [stored] = await case.uow.collection(MESSAGES).find({})
    view = message_view(stored)
    assert (view["signature"], view["signed_by"]) == (signature, "anna")
    # What the reporter's client checks it against holds.
    keys = [{"vcp_id": "anna", "signing_key": signing_public_key(case.vcp)}]
    assert signature_holds(ORG, case.report_id, view, keys)
    # A signature of the wrong length is no signature.
    with pytest.raises(ValidationError):
        NewMessage(message_id=message_id, envelope=envelope, signature=signature[:-4])


async def test_a_quarter_begins_on_the_organisations_day_not_utcs() -> None:
    """23:30 UTC on 31 March is 1 April in the Netherlands: the second quarter has begun."""
    uow = FakeUnitOfWork(ORG, indexes=INDEXES, publishes=DEFINITION.publishes)
    released = await release_statistics(
        uow,
        "2026Q2",
        {},
        vcp_id="anna",
        now=datetime(2026, 3, 31, 23, 30, tzinfo=UTC),
    )
    assert released["quarter"] == "2026Q2"


def test_a_keys_day_is_the_organisations_day() -> None:
    assert vcps_day_of(datetime(2026, 12, 5, 23, 30, tzinfo=UTC)) == "2026-12-06"
    assert vcps_day_of(datetime(2026, 12, 5, 22, 30, tzinfo=UTC)) == "2026-12-05"
    assert vcps_day_of(None) is None
