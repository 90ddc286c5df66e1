"""identity's HTTP API (docs/api.md, "identity"), one module per resource, and the one place
where identity's domain errors become HTTP statuses."""

from services.identity.domain.errors import (
    LastAdmin,
    LastOperator,
    NoSuchMember,
    NoSuchOperator,
    NoSuchOrganisation,
    NoSuchPasskey,
    NoSuchSession,
    NotAMemberThere,
    NotRemovableHere,
    PasskeyNotRegistered,
    PasskeyRefused,
    SessionEnded,
    UnusableCode,
)
from services.identity.http_routes import (
    devices,
    jwks,
    members,
    operators,
    passkeys,
    sign_in,
    tokens,
)

ROUTERS = [part.router for part in (sign_in, tokens, jwks, members, passkeys, devices, operators)]

ERROR_STATUSES = {
    NoSuchOrganisation: 404,
    NoSuchMember: 404,
    NotRemovableHere: 409,
    LastAdmin: 409,
    UnusableCode: 400,
    SessionEnded: 401,
    NotAMemberThere: 401,
    PasskeyRefused: 401,
    PasskeyNotRegistered: 400,
    NoSuchPasskey: 404,
    NoSuchSession: 404,
    LastOperator: 409,
    NoSuchOperator: 404,
}
