"""notify's periodic sweep: VCPs told of every colleague, even of one appointed at the same
moment on another notify instance.

Each appointment's handler mails the VCPs it can see, and a VCP whose appointment notify
reads late is owed the mails of those appointed after them (domain/mail_planning.py). Two
appointments handled at the same moment by two instances see neither the other's
uncommitted VCP, so neither mail is written. So every change of a VCP marks it
`colleagues_settled: False`; this sweep, which runs after both have committed, records for
the organisation every colleague mail still owed and settles the mark. Mails are recorded
under their cause's event id, recipient and kind (mail/outbox.py), so a mail already
recorded by a handler is never recorded, or sent, a second time.
"""

from __future__ import annotations

import functools

from services.notify.domain.mail_facts import MailAddressing, Recipient
from services.notify.mail.addressing import mail_addressing
from services.notify.mail.outbox import record_owed_colleague_mails
from services.notify.read_model import UNSETTLED, load_facts
from services.notify.storage import VCPS
from shared.logs import get_logger
from shared.runtime.definition import PeriodicJob
from shared.runtime.runtime import Runtime
from shared.runtime.sweeps import sweep
from shared.storage.database import Database
from shared.storage.tenancy import Document
from shared.storage.unit_of_work import UnitOfWork

log = get_logger(__name__)


async def settle_vcp_colleagues(db: Database, addressing: MailAddressing) -> int:
    """Record the colleague mails owed in each organisation with an unsettled VCP; returns
    how many organisations were settled."""
    settle = functools.partial(_settle, addressing=addressing)
    return await sweep(db, VCPS, UNSETTLED, settle, fields=["vcp_id"])


async def _settle(uow: UnitOfWork, _candidate: Document, *, addressing: MailAddressing) -> int:
    vcps = uow.collection(VCPS)
    if await vcps.find_one(UNSETTLED) is None:
        return 0  # Settled with an earlier candidate of the same organisation.
    facts = await load_facts(uow, {Recipient.OTHER_VCPS}, None, addressing)
    for vcp in facts.vcps:
        await record_owed_colleague_mails(uow, vcp.vcp_id, facts)
    # A VCP changed meanwhile by a handler makes this transaction lose a write conflict; the
    # sweep's next run settles it.
    await vcps.update_many(UNSETTLED, {"$set": {"colleagues_settled": True}})
    return 1


async def _run(runtime: Runtime) -> None:
    settled = await settle_vcp_colleagues(runtime.db, mail_addressing(runtime.settings))
    if settled:
        log.info("VCP colleague mails settled", organisations=settled)


JOBS = (PeriodicJob("notify-vcp-colleagues", _run),)
