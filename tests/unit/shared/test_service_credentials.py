"""A service signs in to MongoDB and Kafka as its own user, with the password of a file
(compose secrets); without those settings it signs in to neither (the embedded platform)."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli.services import definition_of
from shared.auth.tokens import create_key_pair
from shared.runtime.app import runtime_for
from shared.settings import SettingsError, load_settings


@pytest.fixture(autouse=True)
def keys(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    create_key_pair(tmp_path / "keys" / "jwt_private.pem", tmp_path / "keys" / "jwt_public.pem")
    monkeypatch.setenv("SAFEHANDS_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("SAFEHANDS_RATE_LIMIT_SECRET", "s" * 32)


def test_a_service_signs_in_as_its_own_user(tmp_path: Path) -> None:
    (tmp_path / "mongo_password").write_text("m-secret\n")
    (tmp_path / "kafka_password").write_text("k-secret\n")
    settings = load_settings(
        service_name="intake",
        mongo_username="intake",
        mongo_password_file=tmp_path / "mongo_password",
        kafka_sasl_username="intake",
        kafka_sasl_password_file=tmp_path / "kafka_password",
    )
    runtime = runtime_for(definition_of("intake"), settings)
    # pymongo keeps the credentials in its pool options (no public accessor).
    credentials = runtime.db.client.options.pool_options._credentials
    assert credentials is not None
    assert (credentials.username, credentials.password, credentials.source) == (
        "intake",
        "m-secret",
        "admin",
    )
    assert runtime.kafka_login is not None
    assert runtime.kafka_login.aiokafka() == {
        "security_protocol": "SASL_PLAINTEXT",
        "sasl_mechanism": "SCRAM-SHA-512",
        "sasl_plain_username": "intake",
        "sasl_plain_password": "k-secret",
    }
    security = runtime.kafka_login.faststream()
    assert type(security).__name__ == "SASLScram512"


def test_without_credentials_a_service_signs_in_to_neither() -> None:
    runtime = runtime_for(definition_of("intake"), load_settings(service_name="intake"))
    assert runtime.db.client.options.pool_options._credentials is None
    assert runtime.kafka_login is None


def test_a_password_file_that_cannot_be_read_is_a_sentence(tmp_path: Path) -> None:
    settings = load_settings(
        kafka_sasl_username="intake", kafka_sasl_password_file=tmp_path / "missing"
    )
    with pytest.raises(SettingsError, match="SAFEHANDS_KAFKA_SASL_PASSWORD_FILE cannot be read"):
        _ = settings.kafka_login
