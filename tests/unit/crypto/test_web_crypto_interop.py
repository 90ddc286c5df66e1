"""The browser's crypto (web/src/crypto) makes what shared/crypto opens, in both suites.

The test runs web/src/crypto/seal-for-python.test.ts under Vitest (Node.js) with fresh
Python-made VCP keys and a Python-made key file, and opens everything it made with
shared/crypto: every envelope with the VCP keys and, for the VCP's message, with the
reply key that Python derives from the browser's receipt; the browser's key files with
their passphrase and recovery code; the Python key file with the passphrase the browser
set through its recovery code. The opposite direction (Python makes, the browser opens)
is web/src/crypto/python-vectors.test.ts, on tests/vectors/python-crypto-v1.json.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from shared.crypto import (
    SUITES,
    DecryptionError,
    Envelope,
    KeyFile,
    PrivateKey,
    PublicKey,
    ReportBody,
    SuiteName,
    WrongPassphraseError,
    derive_receipt_keys,
    format_receipt,
    generate_recovery_code,
    message_context,
    open_envelope,
    protect_private_key,
    report_context,
    seal,
    unlock_with_passphrase,
    unlock_with_recovery_code,
)
from shared.crypto.keyfile import dump_key_file

WEB = Path(__file__).parents[3] / "web"
ORG = "de-zeilvereniging"
CONTEXT = report_context(ORG, "7a0d1c62-3f7e-4b2a-9d61-5b1c2f3e4d5a")
REPORT_BODY: dict[str, Any] = {
    "category": "discrimination",
    "description": "Opmerkingen in de kleedkamer — «dat hoort er nu eenmaal bij». 🚩\nTweede regel.",
    "occurred_on": "2026-03-14",
    "location": "Clubhuis",
    "wants_contact": True,
    "contact": "via de mailbox",
}
MESSAGE_BODY: dict[str, Any] = {"text": "Dank je wel. Ünïcode ✓"}
PASSPHRASE = "Cafe\u0301 aan de haven, 1923"  # decomposed: both sides normalise to NFC
NEW_PASSPHRASE = "een nieuwe zin voor de sleutel"


def run_vitest(test_file: str, directory: Path) -> None:
    """Run one Vitest file of web/ with SAFEHANDS_WEB_INTEROP_DIR=directory; fail with a sentence."""
    if shutil.which("node") is None:
        pytest.fail(
            "Node.js is needed for the browser crypto interop tests: install Node.js 20.19 "
            "or newer, then run `npm ci` in web/."
        )
    vitest = WEB / "node_modules" / ".bin" / "vitest"
    if not vitest.exists():
        pytest.fail("The web app's packages are not installed: run `npm ci` in web/.")
    proc = subprocess.run(
        [str(vitest), "run", test_file],
        cwd=WEB,
        env={**os.environ, "SAFEHANDS_WEB_INTEROP_DIR": str(directory), "NO_COLOR": "1"},
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    if proc.returncode != 0:
        pytest.fail(f"Vitest {test_file} failed:\n{proc.stdout[-4000:]}\n{proc.stderr[-2000:]}")


@pytest.fixture(scope="module")
def vcp_keys() -> dict[SuiteName, list[PrivateKey]]:
    return {suite: [PrivateKey.generate(suite) for _ in range(2)] for suite in SUITES}


@pytest.fixture(scope="module")
def python_key_file() -> tuple[PrivateKey, str, KeyFile]:
    key = PrivateKey.generate("MLKEM768-X25519")
    recovery_code = generate_recovery_code()
    return key, recovery_code, protect_private_key(key, "forgotten", recovery_code)


@pytest.fixture(scope="module")
def sealed_by_browser(
    vcp_keys: dict[SuiteName, list[PrivateKey]],
    python_key_file: tuple[PrivateKey, str, KeyFile],
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[str, Any]:
    directory = tmp_path_factory.mktemp("web-interop")
    _, recovery_code, keyfile = python_key_file
    request = {
        "org_id": ORG,
        "report_body": REPORT_BODY,
        "message_body": MESSAGE_BODY,
        "vcps": {s: [k.public_key.model_dump() for k in keys] for s, keys in vcp_keys.items()},
        "passphrase": PASSPHRASE,
        "new_passphrase": NEW_PASSPHRASE,
        "python_key_file": {
            "suite": keyfile.suite,
            "file_text": dump_key_file(keyfile).decode("utf-8"),
            "recovery_code": recovery_code,
        },
    }
    (directory / "request.json").write_text(json.dumps(request), "utf-8")
    run_vitest("src/crypto/seal-for-python.test.ts", directory)
    result: dict[str, Any] = json.loads((directory / "response.json").read_text("utf-8"))
    return result


def assert_opens_only_under(envelope: Envelope, key: PrivateKey, context: str, body: Any) -> None:
    assert open_envelope(envelope, key, context) == body
    with pytest.raises(DecryptionError):
        open_envelope(envelope, key, context + "x")


@pytest.mark.parametrize("suite", SUITES)
def test_python_opens_the_browsers_report(
    suite: SuiteName,
    sealed_by_browser: dict[str, Any],
    vcp_keys: dict[SuiteName, list[PrivateKey]],
) -> None:
    made = sealed_by_browser[suite]
    context = report_context(ORG, made["report_id"])
    assert made["report"]["context"] == context
    # The services' own validation accepts what the browser sends.
    envelope = Envelope.model_validate(made["report"]["envelope"])
    assert envelope.suite == suite
    assert [r.key_id for r in envelope.recipients] == [k.fingerprint for k in vcp_keys[suite]]
    for key in vcp_keys[suite]:
        assert_opens_only_under(envelope, key, context, REPORT_BODY)
    ReportBody.model_validate(open_envelope(envelope, vcp_keys[suite][0], context))


@pytest.mark.parametrize("suite", SUITES)
def test_python_opens_the_browsers_messages_and_derives_the_same_receipt_keys(
    suite: SuiteName,
    sealed_by_browser: dict[str, Any],
    vcp_keys: dict[SuiteName, list[PrivateKey]],
) -> None:
    made = sealed_by_browser[suite]
    derived = derive_receipt_keys(made["receipt"], ORG, suite)
    assert made["receipt_formatted"] == format_receipt(made["receipt"])
    assert made["mailbox_secret_hex"] == derived.secret_hex
    assert made["lookup"] == derived.lookup
    assert PublicKey.model_validate(made["reply_public_key"]) == derived.reply_public_key

    for name in ("vcp_message", "reporter_message"):
        context = made[name]["context"]
        assert context.startswith(f"safehands/v1/message/{ORG}/{made['report_id']}/")
        assert context == message_context(ORG, made["report_id"], context.rsplit("/", 1)[1])
        envelope = Envelope.model_validate(made[name]["envelope"])
        for key in vcp_keys[suite]:
            assert_opens_only_under(envelope, key, context, MESSAGE_BODY)
    vcp_message = Envelope.model_validate(made["vcp_message"]["envelope"])
    assert_opens_only_under(
        vcp_message, derived.reply_key, made["vcp_message"]["context"], MESSAGE_BODY
    )


@pytest.mark.parametrize("suite", SUITES)
def test_python_unlocks_the_browsers_key_file(
    suite: SuiteName, sealed_by_browser: dict[str, Any]
) -> None:
    made = sealed_by_browser["key_files"][suite]
    keyfile = KeyFile.model_validate(made["file"])
    assert keyfile.suite == suite
    assert keyfile.public_key == PublicKey.model_validate(made["public_key"])
    assert keyfile.passphrase.kdf.model_dump() == {
        "name": "argon2id",
        "memory_cost": 65536,
        "iterations": 3,
        "lanes": 4,
    }
    key = unlock_with_passphrase(keyfile, PASSPHRASE)
    assert key.public_key == keyfile.public_key
    assert unlock_with_recovery_code(keyfile, made["recovery_code"]).fingerprint == key.fingerprint
    with pytest.raises(WrongPassphraseError):
        unlock_with_passphrase(keyfile, PASSPHRASE + "!")
    # The key works: what Python seals to it opens with it.
    envelope = seal(MESSAGE_BODY, [key.public_key], CONTEXT)
    assert open_envelope(envelope, key, CONTEXT) == MESSAGE_BODY


def test_python_unlocks_its_key_file_with_the_passphrase_the_browser_set(
    sealed_by_browser: dict[str, Any], python_key_file: tuple[PrivateKey, str, KeyFile]
) -> None:
    key, _, original = python_key_file
    renewed = KeyFile.model_validate(sealed_by_browser["python_key_file_renewed"])
    assert renewed.recovery == original.recovery
    assert unlock_with_passphrase(renewed, NEW_PASSPHRASE).fingerprint == key.fingerprint
    with pytest.raises(WrongPassphraseError):
        unlock_with_passphrase(renewed, "forgotten")
