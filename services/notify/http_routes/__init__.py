"""notify's HTTP API (docs/api.md, "notify"), one module per resource, and the one place
where notify's domain errors become HTTP statuses."""

from services.notify.domain.errors import NoSuchWebhook, SubscriptionRefused
from services.notify.http_routes import contacts, webhooks

ROUTERS = [part.router for part in (webhooks, contacts)]

ERROR_STATUSES = {
    NoSuchWebhook: 404,
    SubscriptionRefused: 422,
}
