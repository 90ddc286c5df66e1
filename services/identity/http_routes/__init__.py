"""identity's HTTP API (docs/api.md, "identity"), one module per resource."""

from services.identity.http_routes import jwks, members, sign_in, tokens

ROUTERS = [part.router for part in (sign_in, tokens, jwks, members)]
