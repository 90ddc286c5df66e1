"""Composition root of intake: the public edge for applications, signatures, VOGs and reports."""

from collections.abc import Mapping, Sequence
from typing import Any

from prometheus_client import Gauge

from services.intake.event_handlers import HANDLERS
from services.intake.http_routes import ERROR_STATUSES, ROUTERS
from services.intake.known_facts import EXTENSION, FOLLOWED, KnownFacts, apply_event, load_facts
from services.intake.storage import INDEXES
from shared.auth.membership import MEMBERS_COPY, MEMBERSHIP_EVENTS, MembersCopy
from shared.crypto import MAX_SEALED_REQUEST_BYTES
from shared.events import REGISTRY
from shared.events.admission import CodeSigned, InterviewRecorded, VOGReceived, VolunteerApplied
from shared.events.base import Event
from shared.events.reports import IncidentReported
from shared.messaging.broker import consumer_group
from shared.messaging.follower import Follower
from shared.runtime.background import BackgroundTask
from shared.runtime.definition import ServiceDefinition
from shared.runtime.runtime import Runtime

PUBLISHES: list[type[Event]] = [
    VolunteerApplied,
    InterviewRecorded,
    CodeSigned,
    VOGReceived,
    IncidentReported,
]


def known_facts(runtime: Runtime) -> Mapping[str, Any]:
    facts = KnownFacts()
    members = MembersCopy()
    Gauge(
        "safehands_intake_members_copy_fallbacks",
        "Membership checks the in-memory copy could not grant, so far: each read the "
        "database instead.",
        registry=runtime.metrics,
    ).set_function(lambda: members.fallbacks)
    Gauge(
        "safehands_intake_known_facts_fallbacks",
        "Requests whose role, code or VCP key the in-memory copy did not know, so far: "
        "each read the database instead.",
        registry=runtime.metrics,
    ).set_function(lambda: facts.fallbacks)
    return {EXTENSION: facts, MEMBERS_COPY: members}


def follow_known_facts(runtime: Runtime) -> Sequence[BackgroundTask]:
    """The task that keeps this instance's copy of roles, codes and VCP keys current
    (services/intake/known_facts.py), and of the current members (shared/auth/membership.py
    MembersCopy: every staff request's check); the instance is ready once the copy has
    caught up. One follower for both: one more consumer per instance would fetch too."""
    facts: KnownFacts = runtime.extensions[EXTENSION]
    members: MembersCopy = runtime.extensions[MEMBERS_COPY]

    async def load() -> None:
        await load_facts(facts, runtime.db)
        await members.load(runtime.db)

    def apply(event: Event) -> None:
        apply_event(facts, event)
        members.apply(event)

    def mark_ready(ready: bool) -> None:
        facts.mark_ready(ready)
        members.mark_ready(ready)

    settings = runtime.settings
    follower = Follower(
        "known-facts",
        bootstrap_servers=settings.kafka_bootstrap_servers,
        login=runtime.kafka_login,
        group_id=consumer_group(settings.consumer_group_prefix, runtime.name),
        events=(*FOLLOWED, *MEMBERSHIP_EVENTS),
        registry=REGISTRY,
        load=load,
        apply=apply,
        on_ready=mark_ready,
        # As the service's consumer fetches (shared/messaging/fetch_wait.py): the copy is
        # as far behind as a consumer.
        fetch_max_wait_ms=settings.kafka_fetch_max_wait_ms,
    )
    return [follower]


DEFINITION = ServiceDefinition(
    name="intake",
    description="The public edge: applications, interviews, signatures, VOG records, encrypted reports.",
    routers=ROUTERS,
    handlers=HANDLERS,
    publishes=PUBLISHES,
    indexes=INDEXES,
    rate_limited=True,
    error_statuses=ERROR_STATUSES,
    # Reports and messages are sealed envelopes: the largest one, and no more.
    max_body_bytes=MAX_SEALED_REQUEST_BYTES,
    extensions=known_facts,
    background=follow_known_facts,
)
