"""notify's HTTP API (docs/api.md, "notify"), one module per resource."""

from services.notify.http_routes import contacts, webhooks

ROUTERS = [part.router for part in (webhooks, contacts)]
