"""policy's HTTP API (docs/api.md, "policy"), one module per resource, and the one place
where policy's domain errors become HTTP statuses."""

from services.policy.domain.errors import (
    AlreadyAnswered,
    DraftExists,
    NoCodePublished,
    NoSuchAdviceRequest,
    NoSuchDraft,
    NoSuchRole,
    NoSuchTemplate,
    NoSuchVolunteer,
    NotAModelCode,
    OrganisationExists,
    PublishedMeanwhile,
    SameAsCurrentCode,
    UnregisteredOrganisation,
)
from services.policy.http_routes import (
    admission,
    advice,
    checklist,
    code_drafts,
    codes,
    directory,
    fallback_contacts,
    gratis_vog,
    news,
    open_roles,
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
        admission,
        volunteers,
        gratis_vog,
        checklist,
        templates,
        advice,
        fallback_contacts,
        open_roles,
        news,
    )
]

ERROR_STATUSES = {
    UnregisteredOrganisation: 404,
    NoSuchVolunteer: 404,
    NoCodePublished: 404,
    NoSuchDraft: 404,
    NoSuchTemplate: 404,
    NoSuchAdviceRequest: 404,
    NoSuchRole: 404,
    OrganisationExists: 409,
    PublishedMeanwhile: 409,
    SameAsCurrentCode: 409,
    DraftExists: 409,
    AlreadyAnswered: 409,
    NotAModelCode: 422,
}
