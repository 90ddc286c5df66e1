"""identity's periodic job: mailing the invitations of VCPs appointed without a key
(services/identity/use_cases/vcp_invitations.py decides; the job queues the mail)."""

from __future__ import annotations

from datetime import UTC, datetime

from services.identity.extensions import mail_sender_of
from services.identity.use_cases.vcp_invitations import invite_vcp, pending_invitations
from shared.logs import get_logger
from shared.runtime.definition import PeriodicJob
from shared.runtime.runtime import Runtime

log = get_logger(__name__)

BATCH = 100
# An invitation may wait a few seconds; polling more often would only load the database.
INVITATION_POLL_SECONDS = 5.0


async def send_vcp_invitations(runtime: Runtime) -> None:
    for invitation in await pending_invitations(runtime.db, BATCH):
        mail = await invite_vcp(
            runtime.db, invitation, web_url=runtime.settings.web_url, now=datetime.now(UTC)
        )
        if mail is not None:
            mail_sender_of(runtime).queue(mail)
            log.info("vcp invitation queued", org_id=invitation["org_id"])


JOBS = (PeriodicJob("identity-vcp-invitations", send_vcp_invitations, INVITATION_POLL_SECONDS),)
