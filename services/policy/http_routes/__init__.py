"""policy's HTTP API, one module per resource."""

from services.policy.http_routes.admission import router as admission_router
from services.policy.http_routes.codes import router as codes_router
from services.policy.http_routes.gratis_vog import router as gratis_vog_router
from services.policy.http_routes.organisations import router as organisations_router
from services.policy.http_routes.roles import router as roles_router

ROUTERS = [
    organisations_router,
    roles_router,
    codes_router,
    admission_router,
    gratis_vog_router,
]
