"""identity's HTTP API (docs/api.md, "identity"), one module per resource, and the one place
where identity's domain errors become HTTP statuses."""

from services.identity.domain.errors import (
    LastAdmin,
    NoSuchMember,
    NoSuchOrganisation,
    NotAMemberThere,
    NotRemovableHere,
    SessionEnded,
    UnusableCode,
)
from services.identity.http_routes import jwks, members, sign_in, tokens

ROUTERS = [part.router for part in (sign_in, tokens, jwks, members)]

ERROR_STATUSES = {
    NoSuchOrganisation: 404,
    NoSuchMember: 404,
    NotRemovableHere: 409,
    LastAdmin: 409,
    UnusableCode: 400,
    SessionEnded: 401,
    NotAMemberThere: 401,
}
