"""A consultation round on the draft code of conduct: the admin opens it until a closing day,
the invited comment per section on /me (named or anonymous towards the admin), the admin
answers and edits the draft, and publishing records how many people left how many comments
(use_cases/codes.py). The rules are services/policy/domain/consultation.py.

Who is invited: the organisation's volunteers with a file that is not rejected, when the
round opens, and the current members the admin names; a volunteer who applies during the
round may comment too, though nobody mailed them. A comment stores its author's id in every
case (the rate limit, erasure); the admin's view and the audit log name the author only when
they chose to be named.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from typing import Any

from pydantic import BaseModel, Field, StrictBool

from services.policy.domain import consultation as rules
from services.policy.domain.admission import AdmissionStatus
from services.policy.domain.consultation import ConsultationStatus
from services.policy.domain.errors import (
    BadClosingDay,
    ConsultationClosed,
    ConsultationRunning,
    NoSuchComment,
    NoSuchConsultation,
    NoSuchDraft,
    NotAMember,
    NotInvited,
    TooManyComments,
    UnknownSection,
)
from services.policy.storage import (
    ADMISSIONS,
    CODE_DRAFTS,
    CONSULTATION_COMMENTS,
    CONSULTATIONS,
    VOLUNTEER_NAMES,
)
from services.policy.use_cases.organisations import registered_organisation
from shared import audit
from shared.audit.chain import principal_role
from shared.auth.membership import CURRENT_MEMBERS
from shared.auth.tokens import Principal
from shared.events.consultation import (
    ConsultationClosed as ConsultationClosedEvent,
)
from shared.events.consultation import (
    ConsultationClosingSoon,
    ConsultationCommented,
    ConsultationOpened,
)
from shared.storage.tenancy import Document
from shared.storage.unit_of_work import UnitOfWork

MAX_MEMBERS = 200
# What the audit log names instead of an anonymous commenter.
ANONYMOUS = "anonymous"


class Opening(BaseModel):
    closes_on: date = Field(description="The last day on which comments are taken.")
    member_ids: list[str] = Field(
        default_factory=list,
        max_length=MAX_MEMBERS,
        description="Members (their `sub`) invited besides the volunteers: coordinators, VCPs.",
    )


class NewComment(BaseModel):
    section: str = Field(min_length=1, max_length=200, description="A section's slug, or general.")
    text: str = Field(min_length=1, max_length=rules.MAX_COMMENT_LENGTH)
    named: StrictBool = Field(description="Whether the admin may see who wrote it.")


class NewAnswer(BaseModel):
    text: str = Field(min_length=1, max_length=rules.MAX_ANSWER_LENGTH)


class CommentAnswer(BaseModel):
    text: str
    answered_at: datetime


class AdminComment(BaseModel):
    comment_id: str
    section: str
    text: str
    named: bool
    # Only when the commenter chose to be named.
    author_name: str | None
    commented_at: datetime
    answer: CommentAnswer | None


class SectionWithComments(BaseModel):
    slug: str
    title: str
    in_draft: bool
    comments: list[AdminComment]


class ConsultationSummary(BaseModel):
    consultation_id: str
    status: ConsultationStatus
    opened_at: datetime
    closes_on: date
    closed_on: date | None
    invited: int
    people: int
    comments: int


class AdminConsultation(ConsultationSummary):
    sections: list[SectionWithComments]


class SectionHeading(BaseModel):
    slug: str
    title: str
    level: int


class MyComment(BaseModel):
    comment_id: str
    section: str
    text: str
    named: bool
    commented_at: datetime
    answer: CommentAnswer | None


class MyConsultation(BaseModel):
    consultation_id: str
    organisation: str
    open: bool
    closes_on: date
    text: str
    sections: list[SectionHeading]
    mine: list[MyComment]


async def _draft_text(uow: UnitOfWork) -> str:
    # Read here rather than through use_cases/code_drafts.py, which codes.py (publishing,
    # which needs this module) is imported by.
    draft = await uow.collection(CODE_DRAFTS).find_one({}, projection={"text": 1})
    if draft is None:
        raise NoSuchDraft
    return str(draft["text"])


def _summary(doc: Document) -> ConsultationSummary:
    return ConsultationSummary(
        consultation_id=doc["consultation_id"],
        status=doc["status"],
        opened_at=doc["opened_at"],
        closes_on=date.fromisoformat(doc["closes_on"]),
        closed_on=date.fromisoformat(doc["closed_on"]) if doc.get("closed_on") else None,
        invited=len(doc.get("invitee_ids", [])),
        people=doc.get("people", 0),
        comments=doc.get("comments", 0),
    )


async def unpublished_round(uow: UnitOfWork) -> Document | None:
    """The round on the present draft: open, or closed and not yet published."""
    found = await uow.collection(CONSULTATIONS).find(
        {"published_version": None}, sort=[("opened_at", -1)], limit=1
    )
    return found[0] if found else None


async def _round(uow: UnitOfWork) -> Document:
    doc = await unpublished_round(uow)
    if doc is None:
        raise NoSuchConsultation
    return doc


async def _volunteer_ids(uow: UnitOfWork) -> list[str]:
    files = await uow.collection(ADMISSIONS).find(
        {"decision.status": {"$ne": AdmissionStatus.REJECTED.value}},
        projection={"volunteer_id": 1},
    )
    return [f["volunteer_id"] for f in files]


async def open_round(uow: UnitOfWork, opening: Opening, *, now: datetime, today: date) -> Any:
    """Open the draft for comments until `closes_on`; refused without a draft, with a round
    on it already, or for a closing day that is not ahead."""
    await registered_organisation(uow)
    await _draft_text(uow)
    problem = rules.closing_day_problem(opening.closes_on, today)
    if problem is not None:
        raise BadClosingDay(problem)
    running = await unpublished_round(uow)
    if running is not None and running["status"] == ConsultationStatus.OPEN:
        raise ConsultationRunning
    members = sorted(set(opening.member_ids))
    if members:
        current = await uow.collection(CURRENT_MEMBERS).find(
            {"sub": {"$in": members}, "removed": False}, projection={"sub": 1}
        )
        if {m["sub"] for m in current} != set(members):
            raise NotAMember
    invitees = sorted({*await _volunteer_ids(uow), *members})
    reminder = rules.reminder_day(opening.closes_on, today)
    if running is not None:
        # A closed round that was never published gives way to the new one; its comments stay
        # with it (and with the audit log), the new round counts its own.
        await uow.collection(CONSULTATIONS).update_one(
            {"consultation_id": running["consultation_id"]},
            {"$set": {"published_version": 0}},
        )
    consultation_id = str(uuid.uuid4())
    doc: dict[str, object] = {
        "consultation_id": consultation_id,
        "status": ConsultationStatus.OPEN.value,
        "opened_at": now,
        "closes_on": opening.closes_on.isoformat(),
        "reminder_on": reminder.isoformat() if reminder else None,
        "closed_on": None,
        "invitee_ids": invitees,
        "member_ids": members,
        "people": 0,
        "comments": 0,
        "published_version": None,
    }
    await uow.collection(CONSULTATIONS).insert_one(doc)
    await audit.record(uow, "consultation.opened", "consultation", consultation_id)
    uow.publish(
        ConsultationOpened(
            org_id=uow.org_id,
            consultation_id=consultation_id,
            closes_on=opening.closes_on,
            invitee_ids=invitees,
        )
    )
    return await admin_view(uow)


async def admin_view(uow: UnitOfWork) -> AdminConsultation:
    doc = await _round(uow)
    text = await _draft_text(uow)
    comments = await uow.collection(CONSULTATION_COMMENTS).find(
        {"consultation_id": doc["consultation_id"]}, sort=[("commented_at", 1)]
    )
    shown = [rules.as_the_admin_sees(c) for c in comments]
    # While the round is open the counts are the comments so far; closing stores them.
    counts = rules.consulted(c["author_id"] for c in comments)
    return AdminConsultation(
        **{
            **_summary(doc).model_dump(),
            "people": counts.people,
            "comments": counts.comments,
        },
        sections=[
            SectionWithComments(
                slug=group.slug,
                title=group.title,
                in_draft=group.in_draft,
                comments=[AdminComment.model_validate(c) for c in group.comments],
            )
            for group in rules.by_section(text, shown)
        ],
    )


async def close_round(uow: UnitOfWork, *, today: date) -> AdminConsultation:
    """The admin closes the round before its closing day."""
    doc = await _round(uow)
    if doc["status"] != ConsultationStatus.OPEN:
        raise ConsultationClosed
    await _close(uow, doc, today)
    await audit.record(uow, "consultation.closed", "consultation", doc["consultation_id"])
    return await admin_view(uow)


async def _close(uow: UnitOfWork, doc: Document, today: date) -> bool:
    """Close `doc` if it is still open as read; announces the result."""
    counts = await _counts(uow, doc["consultation_id"])
    written = await uow.collection(CONSULTATIONS).update_one(
        {"consultation_id": doc["consultation_id"], "status": ConsultationStatus.OPEN.value},
        {
            "$set": {
                "status": ConsultationStatus.CLOSED.value,
                "closed_on": today.isoformat(),
                "reminder_on": None,
                "people": counts.people,
                "comments": counts.comments,
            }
        },
    )
    if written.modified_count != 1:
        return False
    uow.publish(
        ConsultationClosedEvent(
            org_id=uow.org_id,
            consultation_id=doc["consultation_id"],
            closed_on=today,
            people=counts.people,
            comments=counts.comments,
            invitee_ids=list(doc.get("invitee_ids", [])),
        )
    )
    return True


async def _counts(uow: UnitOfWork, consultation_id: str) -> rules.Consulted:
    comments = await uow.collection(CONSULTATION_COMMENTS).find(
        {"consultation_id": consultation_id}, projection={"author_id": 1}
    )
    return rules.consulted(c["author_id"] for c in comments)


async def _invited(uow: UnitOfWork, doc: Document, sub: str) -> bool:
    if sub in doc.get("invitee_ids", []):
        return True
    return (
        await uow.collection(ADMISSIONS).find_one(
            {"volunteer_id": sub, "decision.status": {"$ne": AdmissionStatus.REJECTED.value}}
        )
        is not None
    )


async def my_view(uow: UnitOfWork, principal: Principal, *, today: date) -> MyConsultation:
    """The draft as an invited person reads it on /me, with their own comments and answers."""
    doc = await _round(uow)
    if not await _invited(uow, doc, principal.sub):
        raise NotInvited
    organisation = await registered_organisation(uow)
    text = await _draft_text(uow)
    mine = await uow.collection(CONSULTATION_COMMENTS).find(
        {"consultation_id": doc["consultation_id"], "author_id": principal.sub},
        sort=[("commented_at", 1)],
    )
    return MyConsultation(
        consultation_id=doc["consultation_id"],
        organisation=organisation["name"],
        open=rules.takes_comments(doc["status"], date.fromisoformat(doc["closes_on"]), today),
        closes_on=date.fromisoformat(doc["closes_on"]),
        text=text,
        sections=[
            SectionHeading(slug=s.slug, title=s.title, level=s.level)
            for s in rules.sections_of(text)
        ],
        mine=[MyComment.model_validate(c) for c in mine],
    )


async def _author_name(uow: UnitOfWork, sub: str) -> str | None:
    entry = await uow.collection(VOLUNTEER_NAMES).find_one({"volunteer_id": sub})
    if entry is not None and entry.get("name"):
        return str(entry["name"])
    return None


async def comment(
    uow: UnitOfWork, principal: Principal, body: NewComment, *, now: datetime, today: date
) -> MyComment:
    doc = await _round(uow)
    if not await _invited(uow, doc, principal.sub):
        raise NotInvited
    if not rules.takes_comments(doc["status"], date.fromisoformat(doc["closes_on"]), today):
        raise ConsultationClosed
    text = await _draft_text(uow)
    title = rules.section_title(text, body.section)
    if title is None:
        raise UnknownSection
    recent = await uow.collection(CONSULTATION_COMMENTS).count(
        {"author_id": principal.sub, "commented_at": {"$gt": now - timedelta(hours=1)}}
    )
    if not rules.may_comment(recent):
        raise TooManyComments
    stored = {
        "comment_id": str(uuid.uuid4()),
        "consultation_id": doc["consultation_id"],
        "section": body.section,
        "section_title": title,
        "text": body.text,
        "named": body.named,
        "author_id": principal.sub,
        "author_name": (await _author_name(uow, principal.sub) or principal.sub)
        if body.named
        else None,
        "commented_at": now,
        "answer": None,
    }
    await uow.collection(CONSULTATION_COMMENTS).insert_one(stored)
    # The log is the admin's to read: an anonymous comment is logged without its author.
    actor = (
        principal
        if body.named
        else {"sub": ANONYMOUS, "role": principal_role(sorted(principal.roles))}
    )
    await audit.record(uow, "consultation.commented", "comment", stored["comment_id"], actor=actor)
    uow.publish(
        ConsultationCommented(
            org_id=uow.org_id,
            consultation_id=doc["consultation_id"],
            comment_id=stored["comment_id"],
            section=body.section,
        )
    )
    return MyComment.model_validate(stored)


async def answer(
    uow: UnitOfWork, comment_id: str, body: NewAnswer, *, now: datetime
) -> AdminComment:
    doc = await _round(uow)
    answered = await uow.collection(CONSULTATION_COMMENTS).find_one_and_update(
        {"comment_id": comment_id, "consultation_id": doc["consultation_id"]},
        {"$set": {"answer": {"text": body.text, "answered_at": now}}},
        return_document=True,
    )
    if answered is None:
        raise NoSuchComment
    await audit.record(uow, "consultation.answered", "comment", comment_id)
    return AdminComment.model_validate(rules.as_the_admin_sees(answered))


async def take_round_for_publishing(uow: UnitOfWork, version: int, today: date) -> Any:
    """Called when a version is published: closes the round on the draft if it is open, marks
    it published with `version`, and returns what the version records of it (None without a
    round)."""
    doc = await unpublished_round(uow)
    if doc is None:
        return None
    if doc["status"] == ConsultationStatus.OPEN:
        await _close(uow, doc, today)
    counts = await _counts(uow, doc["consultation_id"])
    await uow.collection(CONSULTATIONS).update_one(
        {"consultation_id": doc["consultation_id"]},
        {"$set": {"published_version": version}},
    )
    return {"people": counts.people, "comments": counts.comments}


async def erase_author(uow: UnitOfWork, author_id: str) -> None:
    """A volunteer's data erased: their comments go with it."""
    await uow.collection(CONSULTATION_COMMENTS).delete_many({"author_id": author_id})


# The sweeps (services/policy/jobs.py).


async def remind(uow: UnitOfWork, candidate: Document, day: date) -> int:
    written = await uow.collection(CONSULTATIONS).update_one(
        {
            "consultation_id": candidate["consultation_id"],
            "reminder_on": candidate["reminder_on"],
            "status": ConsultationStatus.OPEN.value,
        },
        {"$set": {"reminder_on": None}},
    )
    if written.modified_count != 1:
        return 0
    doc = await uow.collection(CONSULTATIONS).find_one(
        {"consultation_id": candidate["consultation_id"]}
    )
    assert doc is not None, "updated in this transaction"
    uow.publish(
        ConsultationClosingSoon(
            org_id=uow.org_id,
            consultation_id=doc["consultation_id"],
            closes_on=date.fromisoformat(doc["closes_on"]),
            invitee_ids=list(doc.get("invitee_ids", [])),
        )
    )
    return 1


async def close_when_due(uow: UnitOfWork, candidate: Document, day: date) -> int:
    doc = await uow.collection(CONSULTATIONS).find_one(
        {"consultation_id": candidate["consultation_id"]}
    )
    if doc is None or not rules.is_due_to_close(
        doc["status"], date.fromisoformat(doc["closes_on"]), day
    ):
        return 0
    if not await _close(uow, doc, day):
        return 0
    await audit.record(uow, "consultation.closed", "consultation", doc["consultation_id"])
    return 1
