"""reports' HTTP API (docs/api.md, "reports"), one module per resource."""

from services.reports.http_routes import case_settings, cases, mailbox, statistics, vcps

ROUTERS = [part.router for part in (vcps, cases, mailbox, case_settings, statistics)]
