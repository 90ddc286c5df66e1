"""intake's HTTP API (docs/api.md, "intake"), one module per resource."""

from services.intake.http_routes import applications, reports, volunteers

ROUTERS = [part.router for part in (applications, volunteers, reports)]
