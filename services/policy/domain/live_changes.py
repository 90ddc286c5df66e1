"""What the coordinator's pipeline and a volunteer's /me hear (shared/runtime/live.py): that
a volunteer's file changed, with the volunteer's id, which the admin and coordinator see
in the pipeline and the volunteer is themself. policy hints at the events it consumes from
intake (an application, an interview, a signature, a VOG) once it has handled them, and at
its own decisions, so a page that fetches again finds both services' state."""

from __future__ import annotations

from collections.abc import Sequence

from shared.events import Event
from shared.storage.changes import Change

STAFF = frozenset({"admin", "coordinator"})


def changes_of(event: Event) -> Sequence[Change]:
    volunteer_id = getattr(event, "volunteer_id", None)
    if not isinstance(volunteer_id, str):
        return ()
    return (
        Change(
            event.org_id,
            "volunteer",
            STAFF,
            subject=volunteer_id,
            ids=(("volunteer_id", volunteer_id),),
        ),
    )
