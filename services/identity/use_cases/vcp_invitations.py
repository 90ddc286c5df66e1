"""Inviting a VCP appointed without a key: a sign-in link that brings them to /vcp, where
their browser makes their key.

The link is made here, after the membership was committed, and lives only in the mail (the
database keeps the code's hash, as for every sign-in link). An invitation is claimed before
its mail is queued, so it is mailed once: a code whose claim was lost is never mailed, and
should the process stop between claim and mail, the VCP asks for a link on the sign-in
page, which also brings them to /vcp.
"""

from __future__ import annotations

from datetime import datetime

from services.identity.domain.mails import Mail, vcp_invitation_mail
from services.identity.domain.sign_in import INVITATION_LINK_LIFETIME, sign_in_link
from services.identity.people import organisation_facts
from services.identity.storage import VCP_INVITATIONS, PlatformStore
from services.identity.use_cases.sign_in import store_code
from shared.storage.tenancy import Document

# Where the invited VCP lands after signing in: their workspace, to make their key.
VCP_PAGE = "/vcp"


async def pending_invitations(store: PlatformStore, limit: int) -> list[Document]:
    invitations = store.platform_collection(VCP_INVITATIONS)
    return await invitations.find({"sent_at": None}, limit=limit).to_list()


async def invite_vcp(
    store: PlatformStore, invitation: Document, *, web_url: str, now: datetime
) -> Mail | None:
    """The invitation mail to queue, or None when another instance claimed it first."""
    code = await store_code(
        store,
        invitation["email"],
        purpose="vcp_invitation",
        next_page=VCP_PAGE,
        link_for=(invitation["org_id"], "vcp"),
        lifetime=INVITATION_LINK_LIFETIME,
        now=now,
    )
    claimed = await store.platform_collection(VCP_INVITATIONS).update_one(
        {"_id": invitation["_id"], "sent_at": None}, {"$set": {"sent_at": now}}
    )
    if claimed.modified_count != 1:
        return None
    organisation, language = await organisation_facts(store, invitation["org_id"])
    web = web_url.rstrip("/")
    content = vcp_invitation_mail(
        language,
        name=invitation["name"],
        organisation=organisation,
        link=sign_in_link(web, code.code),
        sign_in_page=f"{web}/sign-in",
        days=INVITATION_LINK_LIFETIME.days,
    )
    return Mail(to=invitation["email"], kind="vcp_invitation", content=content)
