"""Which store reports keeps attachments in, from its settings (attachment_store.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from services.reports.attachment_store import DatabaseStore, ObjectStore, store_from_settings
from shared.settings import Settings, SettingsError

ENDPOINT = "http://127.0.0.1:8333"


def test_without_an_endpoint_the_database_keeps_the_pieces() -> None:
    assert isinstance(store_from_settings(Settings()), DatabaseStore)
    assert Settings(attachment_s3_access_key_id="k").attachment_s3_login is None


def test_with_an_endpoint_the_object_store_does_with_its_key(tmp_path: Path) -> None:
    secret = tmp_path / "secret"
    secret.write_text("s3cr3t\n")
    from_file = Settings(
        attachment_s3_endpoint=ENDPOINT,
        attachment_s3_access_key_id="k",
        attachment_s3_secret_access_key_file=secret,
    )
    assert from_file.attachment_s3_login == ("k", "s3cr3t")
    store = store_from_settings(from_file)
    assert isinstance(store, ObjectStore) and store.bucket == "safehands-attachments"
    from_env = Settings(
        attachment_s3_endpoint=ENDPOINT,
        attachment_s3_access_key_id="k",
        attachment_s3_secret_access_key="zz-secret-42",
    )
    assert from_env.attachment_s3_login == ("k", "zz-secret-42")
    # The secret never shows in the settings' text (logs, errors).
    assert "zz-secret-42" not in repr(from_env)


@pytest.mark.parametrize(
    "settings",
    [
        {"attachment_s3_endpoint": ENDPOINT},
        {"attachment_s3_endpoint": ENDPOINT, "attachment_s3_access_key_id": "k"},
        {"attachment_s3_endpoint": ENDPOINT, "attachment_s3_secret_access_key": "s"},
    ],
)
def test_an_endpoint_without_its_key_stops_start_up_with_a_sentence(
    settings: dict[str, str],
) -> None:
    with pytest.raises(SettingsError, match="SAFEHANDS_ATTACHMENT_S3_ACCESS_KEY_ID"):
        store_from_settings(Settings(**settings))  # type: ignore[arg-type]


def test_an_unreadable_secret_file_is_named(tmp_path: Path) -> None:
    settings = Settings(
        attachment_s3_endpoint=ENDPOINT,
        attachment_s3_access_key_id="k",
        attachment_s3_secret_access_key_file=tmp_path / "missing",
    )
    with pytest.raises(SettingsError, match="SECRET_ACCESS_KEY_FILE cannot be read"):
        store_from_settings(settings)
