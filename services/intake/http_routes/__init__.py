"""intake's HTTP API (docs/api.md, "intake"), one module per resource, and the one place
where intake's domain errors become HTTP statuses."""

from services.intake.domain.errors import (
    AlreadyRecorded,
    InvalidSubmission,
    NoReportRecipient,
    NoSuchVolunteer,
    NotTheCurrentCode,
    UnknownOrganisation,
    UnknownRole,
)
from services.intake.http_routes import applications, reports, volunteers

ROUTERS = [part.router for part in (applications, volunteers, reports)]

ERROR_STATUSES = {
    UnknownOrganisation: 404,
    NoSuchVolunteer: 404,
    NoReportRecipient: 404,
    UnknownRole: 422,
    InvalidSubmission: 422,
    AlreadyRecorded: 409,
    NotTheCurrentCode: 409,
}
