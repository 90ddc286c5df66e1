"""iCalendar (RFC 5545) files of the regional centre's trainings, made with `icalendar`.

One event per file: the training itself, or a member's registration for it (the same event
with the registration's own UID and its status, so a calendar keeps both apart). A waiting
registration's event is TENTATIVE: it may still become a seat. Every file carries the
training's current SEQUENCE (one higher with each change of what the files show, and with
the cancellation), so a calendar that imported an earlier file updates it in place.
"""

from __future__ import annotations

from datetime import datetime

from icalendar import Calendar, Event

from shared.storage.tenancy import Document

PRODUCT = "-//SafeHands//Regional centre trainings//EN"
CONTENT_TYPE = "text/calendar; charset=utf-8"
UID_DOMAIN = "trainings.safehands.nl"


def _calendar() -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    return calendar


def _event(training: Document, uid: str, stamp: datetime) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("sequence", training.get("sequence", 0))
    event.add("dtstart", training["starts_at"])
    event.add("dtend", training["ends_at"])
    event.add("summary", training["title"])
    description = training.get("description") or ""
    if training.get("online_link"):
        description = f"{description}\n\n{training['online_link']}".strip()
        event.add("url", training["online_link"])
    if description:
        event.add("description", description)
    if training.get("place"):
        event.add("location", training["place"])
    return event


def training_ics(training: Document, stamp: datetime) -> bytes:
    calendar = _calendar()
    event = _event(training, f"training-{training['training_id']}@{UID_DOMAIN}", stamp)
    # A calendar that imported the file before updates its copy: cancelled, same UID.
    event.add("status", "CANCELLED" if training.get("cancelled_at") else "CONFIRMED")
    calendar.add_component(event)
    return bytes(calendar.to_ical())


def registration_ics(training: Document, registration: Document, stamp: datetime) -> bytes:
    calendar = _calendar()
    uid = f"registration-{registration['registration_id']}@{UID_DOMAIN}"
    event = _event(training, uid, stamp)
    status = {"confirmed": "CONFIRMED", "waiting": "TENTATIVE"}.get(
        registration["status"], "CANCELLED"
    )
    if training.get("cancelled_at"):
        status = "CANCELLED"
    event.add("status", status)
    calendar.add_component(event)
    return bytes(calendar.to_ical())


def filename(title: str, suffix: str = "") -> str:
    """A plain ASCII file name from the title (a header value cannot carry just anything)."""
    stem = "".join(c if c.isascii() and c.isalnum() else "-" for c in title.lower())
    stem = "-".join(part for part in stem.split("-") if part)[:60] or "training"
    return f"{stem}{suffix}.ics"
