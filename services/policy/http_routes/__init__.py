"""policy's HTTP API (docs/api.md, "policy"), one module per resource, and the one place
where policy's domain errors become HTTP statuses."""

from services.policy.domain.errors import (
    AlreadyAnswered,
    BadClosingDay,
    ConsultationClosed,
    ConsultationRunning,
    DraftExists,
    NoCodePublished,
    NoSuchAdviceRequest,
    NoSuchComment,
    NoSuchConsultation,
    NoSuchDraft,
    NoSuchTemplate,
    NoSuchVolunteer,
    NotAMember,
    NotAModelCode,
    NotInvited,
    OrganisationExists,
    PublishedMeanwhile,
    SameAsCurrentCode,
    TooManyComments,
    UnknownSection,
    UnregisteredOrganisation,
)
from services.policy.http_routes import (
    admission,
    advice,
    checklist,
    code_drafts,
    codes,
    consultations,
    directory,
    fallback_contacts,
    gratis_vog,
    organisations,
    roles,
    templates,
    volunteers,
)

ROUTERS = [
    part.router
    for part in (
        organisations,
        directory,
        roles,
        # Before codes: `/codes/draft` is a path of its own, not a code.
        code_drafts,
        codes,
        consultations,
        admission,
        volunteers,
        gratis_vog,
        checklist,
        templates,
        advice,
        fallback_contacts,
    )
]

ERROR_STATUSES = {
    UnregisteredOrganisation: 404,
    NoSuchVolunteer: 404,
    NoCodePublished: 404,
    NoSuchDraft: 404,
    NoSuchTemplate: 404,
    NoSuchAdviceRequest: 404,
    OrganisationExists: 409,
    PublishedMeanwhile: 409,
    SameAsCurrentCode: 409,
    DraftExists: 409,
    AlreadyAnswered: 409,
    NotAModelCode: 422,
    NoSuchConsultation: 404,
    NoSuchComment: 404,
    ConsultationRunning: 409,
    ConsultationClosed: 409,
    NotInvited: 403,
    TooManyComments: 429,
    BadClosingDay: 422,
    UnknownSection: 422,
    NotAMember: 422,
}
