from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from fastapi import Depends, FastAPI
from fastapi.testclient import TestClient

from shared.auth.dependencies import (
    refuse_former_members,
    require_org_role,
    require_self_or_org_role,
)
from shared.auth.tokens import (
    InvalidToken,
    Principal,
    create_key_pair,
    load_public_key,
    mint_token,
    verify_token,
)
from shared.auth.verifier import TokenVerifier
from shared.http.http_errors import install_error_handlers
from shared.logs import REDACTED, redact_confidential
from shared.settings import SettingsError, load_settings


def test_an_unknown_setting_stops_start_up_naming_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SAFEHANDS_KAFKA_BOOTSTRAP", "x:1")
    with pytest.raises(SettingsError, match="Unknown setting SAFEHANDS_KAFKA_BOOTSTRAP"):
        load_settings()


def test_a_malformed_setting_stops_start_up_naming_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SAFEHANDS_HTTP_PORT", "eighty")
    with pytest.raises(SettingsError, match="SAFEHANDS_HTTP_PORT is malformed"):
        load_settings()


def test_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SAFEHANDS_MONGO_DATABASE", "elsewhere")
    assert load_settings().mongo_database == "elsewhere"


@pytest.fixture
def keys(tmp_path: Path) -> tuple[Path, Path]:
    private, public = tmp_path / "k" / "private.pem", tmp_path / "k" / "public.pem"
    create_key_pair(private, public)
    return private, public


def test_tokens_carry_sub_org_roles_and_are_eddsa(keys: tuple[Path, Path]) -> None:
    private, public = keys
    token = mint_token(private, roles=["coordinator"], org="org-a", sub="c-1")
    assert token.count(".") == 2
    principal = verify_token(token, load_public_key(public))
    assert (principal.sub, principal.org, principal.roles) == (
        "c-1",
        "org-a",
        frozenset({"coordinator"}),
    )


def test_a_token_of_another_key_is_refused(keys: tuple[Path, Path], tmp_path: Path) -> None:
    private, _ = keys
    other_private, other_public = tmp_path / "o" / "private.pem", tmp_path / "o" / "public.pem"
    create_key_pair(other_private, other_public)
    with pytest.raises(InvalidToken):
        verify_token(
            mint_token(private, roles=["admin"], org="a", sub="x"), load_public_key(other_public)
        )


def test_key_pair_is_created_once(keys: tuple[Path, Path]) -> None:
    private, public = keys
    before = private.read_bytes()
    create_key_pair(private, public)
    assert private.read_bytes() == before


def app_with(keys: tuple[Path, Path]) -> FastAPI:
    app = FastAPI()
    verifier = TokenVerifier([load_public_key(keys[1])])
    app.state.runtime = type("R", (), {"token_verifier": verifier})()
    install_error_handlers(app)

    @app.get("/v1/orgs/{org}/things")
    async def things(org: str, _p: object = Depends(require_org_role("admin"))) -> dict[str, str]:
        return {"org": org}

    @app.get("/v1/orgs/{org}/volunteers/{volunteer_id}")
    async def volunteer(
        org: str, volunteer_id: str, _p: object = Depends(require_self_or_org_role("coordinator"))
    ) -> dict[str, str]:
        return {"volunteer_id": volunteer_id}

    @app.get("/boom")
    async def boom() -> None:
        raise RuntimeError("duplicate key: SECRET-CANARY")

    @app.post("/echo")
    async def echo(body: dict[str, int]) -> dict[str, int]:
        return body

    return app


def test_access_rules_in_one_place(keys: tuple[Path, Path]) -> None:
    private = keys[0]
    client = TestClient(app_with(keys))

    def get(path: str, role: str | None, org: str = "org-a", sub: str = "s") -> int:
        headers = {}
        if role:
            token = mint_token(private, roles=[role], org=org, sub=sub)  # type: ignore[list-item]
            headers["authorization"] = f"Bearer {token}"
        return client.get(path, headers=headers).status_code

    assert get("/v1/orgs/org-a/things", None) == 401
    assert (
        client.get("/v1/orgs/org-a/things", headers={"authorization": "Bearer x.y.z"}).status_code
        == 401
    )
    assert get("/v1/orgs/org-a/things", "admin") == 200
    assert get("/v1/orgs/org-a/things", "coordinator") == 403
    assert get("/v1/orgs/org-a/things", "admin", org="org-b") == 404
    assert get("/v1/orgs/org-a/volunteers/v-1", "volunteer", sub="v-1") == 200
    assert get("/v1/orgs/org-a/volunteers/v-1", "volunteer", sub="v-2") == 404
    assert get("/v1/orgs/org-a/volunteers/v-1", "coordinator") == 200
    assert get("/v1/orgs/org-a/volunteers/v-1", "vcp") == 403


def test_bad_input_gets_a_sentence_without_the_submitted_values(keys: tuple[Path, Path]) -> None:
    client = TestClient(app_with(keys))
    bad_json = client.post("/echo", content=b"{nope", headers={"content-type": "application/json"})
    assert bad_json.status_code == 422
    assert bad_json.json() == {"detail": "The request body is not valid JSON.", "fields": []}
    wrong = client.post("/echo", json={"count": "SECRET-CANARY"})
    assert wrong.status_code == 422
    assert wrong.json()["detail"].startswith("Invalid input")
    # The field by name, so that a page shows the sentence beside it (issue 26).
    assert wrong.json()["fields"] == ["count"]
    assert "SECRET-CANARY" not in wrong.text


def test_logs_redact_confidential_fields_at_any_depth() -> None:
    out = redact_confidential(
        None, "info", {"event": "x", "envelope": {"a": 1}, "nested": {"token": "t", "ok": 1}}
    )
    assert out["envelope"] == REDACTED
    assert out["nested"] == {"token": REDACTED, "ok": 1}


def test_warnings_are_json_log_lines_like_everything_else() -> None:
    # In a fresh interpreter: pytest itself captures warnings in this one.
    script = (
        "import warnings\n"
        "from shared.logs import configure_logging, get_logger\n"
        "configure_logging('intake')\n"
        "warnings.warn('HTTP_422_UNPROCESSABLE_ENTITY is deprecated', DeprecationWarning)\n"
        "get_logger('x').info('after the warning')\n"
    )
    result = subprocess.run(
        [sys.executable, "-W", "always", "-c", script],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=Path(__file__).resolve().parents[3],
    )
    lines = [json.loads(line) for line in result.stderr.splitlines()]
    assert [line["logger"] for line in lines] == ["py.warnings", "x"], result.stderr
    assert "HTTP_422_UNPROCESSABLE_ENTITY is deprecated" in lines[0]["event"]
    assert lines[0]["level"] == "warning" and lines[0]["service"] == "intake"


def test_an_unexpected_error_is_a_500_sentence_and_no_traceback(
    keys: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    client = TestClient(app_with(keys), raise_server_exceptions=True)
    answer = client.get("/boom")
    assert answer.status_code == 500
    assert answer.json()["detail"].startswith("Something went wrong on our side")
    assert "SECRET-CANARY" not in answer.text
    captured = capsys.readouterr()
    assert "SECRET-CANARY" not in captured.out + captured.err


def test_a_membership_check_refuses_former_members_on_every_route(
    keys: tuple[Path, Path],
) -> None:
    """The hook a service gives (reports: appointed VCPs only) runs once per request, on
    routes that need a token and on routes open to anyone."""
    private = keys[0]
    checked: list[str] = []

    async def only_vera(_runtime: object, principal: Principal) -> bool:
        checked.append(principal.sub)
        return principal.sub == "vera"

    app = FastAPI(dependencies=[Depends(refuse_former_members)])
    app.state.runtime = SimpleNamespace(
        token_verifier=TokenVerifier([load_public_key(keys[1])]), membership_check=only_vera
    )
    install_error_handlers(app)

    @app.get("/v1/orgs/{org}/cases")
    async def cases(org: str, _p: object = Depends(require_org_role("vcp"))) -> dict[str, str]:
        return {"org": org}

    @app.get("/v1/orgs/{org}/keys")
    async def open_to_anyone(org: str) -> dict[str, str]:
        return {"org": org}

    client = TestClient(app)

    def get(path: str, sub: str | None) -> int:
        headers = {}
        if sub:
            token = mint_token(private, roles=["vcp"], org="org-a", sub=sub)
            headers["authorization"] = f"Bearer {token}"
        return client.get(path, headers=headers).status_code

    assert get("/v1/orgs/org-a/cases", "vera") == 200
    assert get("/v1/orgs/org-a/cases", "dismissed") == 403
    assert get("/v1/orgs/org-a/keys", "dismissed") == 403
    assert get("/v1/orgs/org-a/keys", None) == 200
    assert get("/v1/orgs/org-a/cases", None) == 401
    # An invalid token on an open route is ignored, as before.
    bad = client.get("/v1/orgs/org-a/keys", headers={"authorization": "Bearer x.y.z"})
    assert bad.status_code == 200
    assert checked.count("vera") == 1
