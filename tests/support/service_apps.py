"""A service's FastAPI app as its composition root builds it, without starting it: for tests
that read its routes, schemas or middlewares."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi import FastAPI

from cli.services import definition_of
from shared.auth.tokens import create_key_pair
from shared.runtime.app import create_app
from shared.settings import load_settings


def service_app(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> FastAPI:
    create_key_pair(tmp_path / "keys" / "jwt_private.pem", tmp_path / "keys" / "jwt_public.pem")
    monkeypatch.setenv("SAFEHANDS_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("SAFEHANDS_RATE_LIMIT_SECRET", "s" * 32)
    return create_app(definition_of(name), load_settings(service_name=name))
