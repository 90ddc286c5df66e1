"""The signed-in person's devices (sessions: one chain of refresh tokens per sign-in), and
signing one out."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Depends, Request, Response, status

from services.identity import queries
from services.identity.domain.errors import NoSuchSession
from services.identity.domain.passkeys import live_sessions
from services.identity.http_routes.person import Person, person_of, record_for
from services.identity.refresh_cookie import forget, presented
from services.identity.sessions import chain_of, revoke_person_chain
from shared.http.openapi import errors
from shared.runtime.runtime import Runtime, runtime_of

router = APIRouter(prefix="/v1/sessions", tags=["sessions"])


async def _this_device(request: Request, runtime: Runtime) -> str | None:
    """The session of the browser asking, known from its cookie (a script has none)."""
    token = presented(request, "", runtime.settings.web_url)
    return await chain_of(runtime.db, token) if token else None


@router.get(
    "",
    summary="The signed-in person's devices: browser family, when signed in and last used.",
    responses=errors(401, 403),
    description=(
        "`current` marks the session of the browser asking (from its sign-in cookie). No "
        "address, no full User-Agent: a browser family such as `Chromium on Linux`."
    ),
)
async def list_sessions(
    request: Request, person: Person = Depends(person_of), runtime: Runtime = Depends(runtime_of)
) -> list[dict[str, Any]]:
    tokens = await queries.unrevoked_refresh_tokens(runtime.db, person.address)
    current = await _this_device(request, runtime)
    seen = live_sessions(tokens, datetime.now(UTC))
    return [s.view(current) for s in seen]


@router.delete(
    "/{session_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Sign a device out: that session's refresh tokens stop working.",
    responses=errors(401, 403, 404),
)
async def end_session(
    session_id: str,
    request: Request,
    person: Person = Depends(person_of),
    runtime: Runtime = Depends(runtime_of),
) -> Response:
    current = await _this_device(request, runtime)
    if not await revoke_person_chain(runtime.db, person.address, session_id, datetime.now(UTC)):
        raise NoSuchSession("You have no signed-in device with this id.")
    await record_for(runtime, person, "session.ended", "session", session_id)
    answer = Response(status_code=status.HTTP_204_NO_CONTENT)
    if session_id == current:
        forget(request, answer, runtime.settings.web_url)
    return answer
