"""Real event objects for unit tests: `sample_event(VCPKeySet, vcp_id="bram")` fills every
required field the test does not care about with a valid value, so a test names only what
it is about and still builds the event the way its service does (validated by pydantic)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any, TypeVar

from shared.events import Event

E = TypeVar("E", bound=Event)

SAMPLE_TIME = datetime(2026, 12, 1, 12, tzinfo=UTC)

# By field name, across every event of the registry: one valid value each ("Event.field"
# where two events' fields of one name take different values).
SAMPLE_VALUES: dict[str, Any] = {
    "org_id": "org-a",
    "member_org": "org-b",
    "reminder": "week",
    "audience": ["vcps"],
    "seats": 12,
    "attended": True,
    "held_seat": True,
    "on_waiting_list": False,
    "name": "Anna de Vries",
    "email": "anna@example.org",
    "language": "nl",
    "role_id": "coach",
    "title": "Youth coach",
    "works_with_minors": True,
    "works_with_vulnerable": False,
    "vog_required": True,
    "vog_max_age_days": 180,
    "vog_renewal_years": 3,
    "version": 4,
    "sha256": "0" * 64,
    "volunteer_id": "volunteer-1",
    "application_id": "application-1",
    "outcome": "proceed",
    "recorded_by": "coordinator-1",
    "checked_by": "coordinator-1",
    "screening_aspects": [84, 85],
    "issued_on": date(2026, 11, 20),
    "recorded_on": date(2026, 11, 21),
    "renewal_due": date(2029, 2, 20),
    "missing": ["vog"],
    "vcp_id": "vcp-1",
    "public_key": {"suite": "X25519", "key": "k"},
    "fingerprint": "0123456789abcdef0123456789abcdef",
    "report_id": "2b1e3f5a-8c1d-4e8f-9a3b-6d2c4e5f7a81",
    "envelope": {"ciphertext": "c"},
    "mailbox_lookup": "lookup",
    "reply_key": {"suite": "X25519", "key": "r"},
    "deadline": "acknowledge",
    "missed": False,
    "shared_by": "vcp-2",
    "sender": "reporter",
    "status": "acknowledged",
    "previous_status": "received",
    "forward": True,
    "set_by": "vcp-1",
    "request_id": "request-1",
    "advice_topic": "vcp",
    # A consultation round on the draft code.
    "closes_on": date(2026, 12, 20),
    "closed_on": date(2026, 12, 21),
    "invitee_ids": ["volunteer-1", "coordinator-1"],
    "section": "respect",
    "people": 2,
    "comments": 3,
    "sub": "member-1",
    "roles": ["admin"],
    "listed": True,
    # A field of the same name in two events with different types: by event (below).
    "NewsPublished.audience": "all",
    "week": "2026-W49",
    "headlines": [{"news_id": "news-1", "title": "Training for VCPs"}],
    # A changed training: what changed, and its calendar files' SEQUENCE.
    "changed": ["starts_at"],
    "sequence": 1,
    "registrants_told": 2,
    "place": "Utrecht, Stadhuisplein 1",
    "online_link": None,
}


def sample_event(event_class: type[E], **fields: Any) -> E:
    """An event of `event_class` with `fields`, and sample values for its other required
    fields (any field ending in `_at` is a moment, SAMPLE_TIME)."""
    values: dict[str, Any] = {}
    for name, info in event_class.model_fields.items():
        if name in fields or not info.is_required():
            continue
        if f"{event_class.__name__}.{name}" in SAMPLE_VALUES:
            values[name] = SAMPLE_VALUES[f"{event_class.__name__}.{name}"]
        elif name in SAMPLE_VALUES:
            values[name] = SAMPLE_VALUES[name]
        elif name.endswith("_at"):
            values[name] = SAMPLE_TIME
        elif name.endswith("_id"):
            values[name] = str(uuid.uuid4())
        else:
            raise KeyError(f"no sample value for {event_class.__name__}.{name}: add one")
    return event_class(**values, **fields)
