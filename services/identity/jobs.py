"""identity's periodic job: invitations of VCPs appointed without a key.

The link is made here, after the membership was committed, and lives only in the mail (the
database keeps the code's hash, as for every sign-in link). An invitation is claimed before
its mail is queued, so it is mailed once (a code whose claim was lost is never mailed); should the process stop in between, the VCP asks
for a link on the sign-in page, which also brings them to /vcp.
"""

from __future__ import annotations

from datetime import UTC, datetime

from services.identity.domain.mails import vcp_invitation_mail
from services.identity.domain.sign_in import INVITATION_LINK_LIFETIME, sign_in_link
from services.identity.extensions import mail_sender_of
from services.identity.people import organisation_facts
from services.identity.storage import VCP_INVITATIONS
from services.identity.use_cases.sign_in import store_code
from shared.logs import get_logger
from shared.runtime.definition import PeriodicJob
from shared.runtime.runtime import Runtime

log = get_logger(__name__)

# Where the invited VCP lands after signing in: their workspace, to make their key.
VCP_PAGE = "/vcp"
BATCH = 100
# An invitation may wait a few seconds; polling more often would only load the database.
INVITATION_POLL_SECONDS = 5.0


async def send_vcp_invitations(runtime: Runtime) -> None:
    invitations = runtime.db.platform_collection(VCP_INVITATIONS)
    pending = invitations.find({"sent_at": None}, limit=BATCH)
    for invitation in [row async for row in pending]:
        now = datetime.now(UTC)
        code = await store_code(
            runtime.db,
            invitation["email"],
            purpose="vcp_invitation",
            next_page=VCP_PAGE,
            lifetime=INVITATION_LINK_LIFETIME,
            now=now,
        )
        # A code of an invitation claimed meanwhile by someone else is never mailed: unusable.
        claimed = await invitations.update_one(
            {"_id": invitation["_id"], "sent_at": None}, {"$set": {"sent_at": now}}
        )
        if claimed.modified_count != 1:
            continue
        organisation, language = await organisation_facts(runtime.db, invitation["org_id"])
        web = runtime.settings.web_url.rstrip("/")
        mail = vcp_invitation_mail(
            language,
            name=invitation["name"],
            organisation=organisation,
            link=sign_in_link(web, code.code),
            sign_in_page=f"{web}/sign-in",
            days=INVITATION_LINK_LIFETIME.days,
        )
        mail_sender_of(runtime).send_later(
            invitation["email"], mail.subject, mail.text, "vcp_invitation"
        )
        log.info("vcp invitation queued", org_id=invitation["org_id"])


JOBS = (PeriodicJob("identity-vcp-invitations", send_vcp_invitations, INVITATION_POLL_SECONDS),)
