"""Composition root of reports: VCPs, encrypted reports, case workflow and mailboxes."""

from services.reports.appointments import is_appointed_vcp_if_vcp
from services.reports.attachment_store import attachment_background, attachment_extensions
from services.reports.domain.live_changes import changes_of
from services.reports.event_handlers import HANDLERS
from services.reports.http_routes import ERROR_STATUSES, ROUTERS
from services.reports.jobs import JOBS
from services.reports.storage import INDEXES
from shared.crypto import MAX_SEALED_REQUEST_BYTES
from shared.events.reports import (
    ReportAcknowledged,
    ReportClosed,
    ReportDeadlineApproaching,
    ReportKeyShared,
    ReportMessagePosted,
    ReportStatusChanged,
    ReportWebhooksSet,
    VCPAppointed,
    VCPDismissed,
    VCPKeySet,
)
from shared.runtime.definition import ServiceDefinition

DEFINITION = ServiceDefinition(
    name="reports",
    description="VCPs and their keys, end-to-end encrypted reports, case workflow, reporter mailboxes.",
    routers=ROUTERS,
    handlers=HANDLERS,
    publishes=[
        VCPAppointed,
        VCPKeySet,
        VCPDismissed,
        ReportAcknowledged,
        ReportMessagePosted,
        ReportStatusChanged,
        ReportClosed,
        ReportKeyShared,
        ReportDeadlineApproaching,
        ReportWebhooksSet,
    ],
    indexes=INDEXES,
    rate_limited=True,
    error_statuses=ERROR_STATUSES,
    # Reports and messages are sealed envelopes: the largest one, and no more.
    max_body_bytes=MAX_SEALED_REQUEST_BYTES,
    jobs=JOBS,
    # Where attachments' ciphertext goes: the S3 store the settings name, or the database.
    extensions=attachment_extensions,
    background=attachment_background,
    live_changes=changes_of,
    membership_check=is_appointed_vcp_if_vcp,
)
