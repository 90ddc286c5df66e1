"""policy's HTTP API (docs/api.md, "policy"), one module per resource."""

from services.policy.http_routes import (
    admission,
    advice,
    checklist,
    code_drafts,
    codes,
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
    )
]
