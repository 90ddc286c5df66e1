"""`/docs`: Swagger UI served by the service itself, so the page works offline and under
the gateway's Content-Security-Policy (`script-src 'self'`, no inline script).

FastAPI's own page loads Swagger UI from a CDN and starts it with an inline script; here
the files come from the `swagger-ui-bundle` wheel and the start-up code is a served .js
file. Every URL in the page is relative, so it works both at `/docs` and behind the
gateway at `/api/<service>/docs`.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, HTTPException
from fastapi.responses import FileResponse, HTMLResponse, Response
from swagger_ui_bundle import swagger_ui_path

ASSETS = "docs-assets"
# The files the page uses, by name: nothing else of the bundle is served.
SERVED = {
    "swagger-ui-bundle.js": "text/javascript",
    "swagger-ui.css": "text/css",
    "index.css": "text/css",
    "favicon-32x32.png": "image/png",
}

PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title}</title>
<link rel="stylesheet" href="{assets}/swagger-ui.css">
<link rel="stylesheet" href="{assets}/index.css">
<link rel="icon" type="image/png" href="{assets}/favicon-32x32.png">
</head>
<body>
<div id="swagger-ui"></div>
<script src="{assets}/swagger-ui-bundle.js"></script>
<script src="{assets}/swagger-init.js"></script>
</body>
</html>
"""

# Relative to the page (…/docs), so `openapi.json` is the service's, also behind a prefix.
INIT = """window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({
    url: new URL("openapi.json", window.location.href).href,
    dom_id: "#swagger-ui",
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout"
  });
});
"""


def install_api_docs(app: FastAPI) -> None:
    """Serve `/docs` and its assets from this process. Call with `docs_url=None` and
    `redoc_url=None` on the app (ReDoc, too, would come from a CDN)."""
    folder = Path(str(swagger_ui_path))
    page = PAGE.format(title=f"{app.title} — API", assets=ASSETS)

    @app.get("/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        return HTMLResponse(page)

    @app.get(f"/{ASSETS}/swagger-init.js", include_in_schema=False)
    async def docs_init() -> Response:
        return Response(INIT, media_type="text/javascript")

    @app.get(f"/{ASSETS}/{{name}}", include_in_schema=False)
    async def docs_asset(name: str) -> FileResponse:
        media_type = SERVED.get(name)
        if media_type is None:
            raise HTTPException(404, "There is no such file of the API documentation.")
        return FileResponse(
            folder / name, media_type=media_type, headers={"Cache-Control": "max-age=86400"}
        )
