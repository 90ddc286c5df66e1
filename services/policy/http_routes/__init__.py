"""policy's HTTP API, one module per resource."""

from services.policy.http_routes.admission import router as admission_router
from services.policy.http_routes.advice import router as advice_router
from services.policy.http_routes.checklist import router as checklist_router
from services.policy.http_routes.code_drafts import router as code_drafts_router
from services.policy.http_routes.codes import router as codes_router
from services.policy.http_routes.gratis_vog import router as gratis_vog_router
from services.policy.http_routes.organisations import router as organisations_router
from services.policy.http_routes.roles import router as roles_router
from services.policy.http_routes.templates import router as templates_router
from services.policy.http_routes.volunteers import router as volunteers_router

ROUTERS = [
    organisations_router,
    roles_router,
    # Before codes: `/codes/draft` is a path of its own, not a code.
    code_drafts_router,
    codes_router,
    admission_router,
    volunteers_router,
    gratis_vog_router,
    checklist_router,
    templates_router,
    advice_router,
]
