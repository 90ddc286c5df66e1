"""reports' HTTP API (docs/api.md, "reports"), one module per resource, and the one place
where reports' domain errors become HTTP statuses."""

from services.reports.domain.errors import (
    AlreadyAppointed,
    AlreadyExists,
    AttachmentTooLarge,
    CaseClosed,
    ChangedMeanwhile,
    DismissalRefused,
    FileStoreUnavailable,
    HandOverNotPossible,
    IdNotReusable,
    InvalidAttachment,
    InvalidSealing,
    KeyConflict,
    NoSuchAttachment,
    NoSuchCentreVCP,
    NoSuchReport,
    NoSuchVCP,
    NotAccepted,
    NotInThisCase,
    QuarterNotStarted,
    UploadOutOfOrder,
)
from services.reports.domain.workflow import InvalidTransition
from services.reports.http_routes import (
    attachments,
    case_settings,
    cases,
    centre_vcps,
    mailbox,
    report_webhooks,
    statistics,
    vcp_cases,
    vcps,
)

ROUTERS = [
    part.router
    for part in (
        vcps,
        centre_vcps,
        cases,
        vcp_cases,
        mailbox,
        case_settings,
        statistics,
        report_webhooks,
        attachments,
    )
]

ERROR_STATUSES = {
    NoSuchReport: 404,
    NoSuchVCP: 404,
    AlreadyAppointed: 409,
    IdNotReusable: 409,
    KeyConflict: 409,
    DismissalRefused: 409,
    CaseClosed: 409,
    InvalidTransition: 409,
    ChangedMeanwhile: 409,
    AlreadyExists: 409,
    HandOverNotPossible: 409,
    NotAccepted: 409,
    InvalidSealing: 422,
    NotInThisCase: 422,
    QuarterNotStarted: 422,
    NoSuchCentreVCP: 404,
    NoSuchAttachment: 404,
    UploadOutOfOrder: 409,
    InvalidAttachment: 422,
    AttachmentTooLarge: 413,
    FileStoreUnavailable: 503,
}
