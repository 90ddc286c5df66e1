"""The mail worker: claims due mails one at a time, sends them, marks them sent and
publishes NotificationSent in one transaction. Every notify instance runs one; the claim
makes sure each mail goes out once. SMTP trouble is retried with backoff, without end for
temporary failures, so an outage loses no mail. A background task: the runtime runs and
stops it. No single mail stops it: one that can never go out (the server refuses it for good,
or it cannot even be written) is set aside as `failed` with its reason, never its text,
counted in `safehands_mails_set_aside_total` and logged, and the next mail goes out.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from opentelemetry.trace import SpanKind
from prometheus_client import CollectorRegistry

from services.notify.claims import Claims, record_outcome
from services.notify.domain.mail_retry import is_permanent_smtp_refusal, mail_retry_delay
from services.notify.mail.backlog import MailBacklog
from services.notify.mail.outbox import FAILED, PENDING, SENDING, SENT
from services.notify.storage import MAILS
from shared import trace_context
from shared.cancellation import raise_if_cancelled, wait_for_event
from shared.events.notifications import NotificationSent
from shared.logs import get_logger
from shared.mail.set_aside import SetAsideMails
from shared.mail.smtp import OutgoingMail, SmtpMailer, SmtpRefused
from shared.progress import one_round
from shared.storage.database import Database
from shared.storage.tenancy import Document

log = get_logger(__name__)

# Longer than an SMTP send can take (SMTP_SEND_DEADLINE_SECONDS), so no live claim runs out.
CLAIM_LEASE = timedelta(seconds=90)


class MailWorker:
    # A round (claim and send) may take as long as the claim: past it, another instance
    # may send the same mail, and this one is stuck.
    lease_seconds = CLAIM_LEASE.total_seconds()
    name = "mail-worker"

    def __init__(
        self,
        db: Database,
        mailer: SmtpMailer,
        holder: str,
        *,
        poll_seconds: float,
        retry_scale: float,
        set_aside_mails: SetAsideMails | None = None,
        registry: CollectorRegistry | None = None,
    ) -> None:
        self._db = db
        self._set_aside_mails = set_aside_mails or SetAsideMails()
        self._mailer = mailer
        self._claims = Claims(db.platform_collection(MAILS), PENDING, SENDING, holder, CLAIM_LEASE)
        self.backlog = MailBacklog(
            self._claims, registry if registry is not None else CollectorRegistry()
        )
        self._poll_seconds = poll_seconds
        self._retry_scale = retry_scale
        # Set when this instance commits a mail: it goes at once, not at the next poll.
        self._queued = db.written(MAILS)

    async def run(self) -> None:
        while True:
            raise_if_cancelled()  # a cancellation PyMongo lost (shared/cancellation.py)
            try:
                self._queued.clear()
                with one_round():
                    mail = await self._claims.claim_next()
                    await self.backlog.after_claim(mail is not None)
                    if mail is not None:
                        await self._send(mail)
                if mail is None:
                    # The poll finds another instance's mails and retries that came due.
                    await wait_for_event(self._queued, self._poll_seconds)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.warning("mail worker failed, will retry", error=f"{type(exc).__name__}: {exc}")
                await asyncio.sleep(self._poll_seconds)

    async def _send(self, mail: Document) -> None:
        # In the trace of the event the mail is about (shared/trace_context.py).
        with trace_context.span_in(
            "notify send mail",
            trace_context.of_stored(mail),
            kind=SpanKind.CLIENT,
            attributes={"safehands.mail_kind": str(mail.get("kind"))},
        ):
            await self._send_traced(mail)

    async def _send_traced(self, mail: Document) -> None:
        attempts = int(mail.get("attempts", 0)) + 1
        try:
            await self._mailer.send(
                OutgoingMail(mail["_id"], mail["to"], mail["subject"], mail["text"], mail["kind"])
            )
        except SmtpRefused as exc:
            await self._failed(mail, attempts, exc)
            return
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            # Not the server's answer: the mail itself (a subject it cannot carry, a broken
            # record). Sent again it would fail again, and hold its claim each time.
            await self._set_aside(mail, attempts, exc)
            return
        self._set_aside_mails.sent.labels(str(mail["kind"])).inc()
        await record_outcome(lambda: self._mark_sent(mail, attempts))
        log.info("mail sent", notification_id=mail["_id"], kind=mail["kind"], attempts=attempts)

    async def _mark_sent(self, mail: Document, attempts: int) -> None:
        now = datetime.now(UTC)
        async with self._db.unit_of_work(mail["org_id"]) as uow:
            marked = await uow.collection(MAILS).update_one(
                self._claims.mine(mail),
                {
                    "$set": {
                        "status": SENT,
                        "sent_at": now,
                        "sent_by": self._claims.holder,
                        "attempts": attempts,
                    },
                    "$unset": {"lease_until": "", "claimed_by": "", "last_error": ""},
                },
            )
            if marked.modified_count:
                uow.publish(
                    NotificationSent(
                        org_id=mail["org_id"],
                        notification_id=mail["_id"],
                        kind=mail["kind"],
                        recipient_role=mail["recipient_role"],
                        caused_by_event_id=mail["event_id"],
                        sent_at=now,
                    )
                )

    async def _set_aside(self, mail: Document, attempts: int, error: BaseException) -> None:
        reason = self._set_aside_mails.record(
            mail_id=str(mail.get("_id")), kind=str(mail.get("kind")), error=error
        )
        await self._db.tenant_collection(mail["org_id"], MAILS).update_one(
            self._claims.mine(mail),
            {
                "$set": {"status": FAILED, "attempts": attempts, "last_error": reason},
                "$unset": {"lease_until": ""},
            },
        )

    async def _failed(self, mail: Document, attempts: int, exc: SmtpRefused) -> None:
        if is_permanent_smtp_refusal(exc.code):
            await self._set_aside(mail, attempts, exc)
            return
        self._set_aside_mails.deferred.labels(str(mail.get("kind"))).inc()
        update: dict[str, object] = {
            "attempts": attempts,
            "last_error": str(exc),
            "status": PENDING,
            "next_attempt_at": datetime.now(UTC) + mail_retry_delay(attempts, self._retry_scale),
        }
        await self._db.tenant_collection(mail["org_id"], MAILS).update_one(
            self._claims.mine(mail), {"$set": update, "$unset": {"lease_until": ""}}
        )
        log.warning(
            "mail not taken by the SMTP server, will retry",
            notification_id=mail["_id"],
            attempts=attempts,
            error=str(exc),
        )

    async def close(self) -> None:
        """After `run()` ended: the mails this instance claimed go back to the others."""
        await self._claims.release_all()
