"""The browser's crypto (web/src/crypto) seals what shared/crypto opens, in both suites.

The test runs web/src/crypto/seal-for-python.test.ts under Vitest (Node.js) with fresh
Python-made VCP keys, and opens every envelope it made with shared/crypto: with the VCP
keys, and, for the VCP's message, with the reply key that Python derives from the
receipt the browser made. The opposite direction (Python seals, the browser opens) is
web/src/crypto/python-vectors.test.ts, on tests/vectors/python-crypto-v1.json.
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
    PrivateKey,
    PublicKey,
    ReportBody,
    SuiteName,
    derive_receipt_keys,
    format_receipt,
    message_context,
    open_envelope,
    report_context,
)

WEB = Path(__file__).parents[3] / "web"
ORG = "de-zeilvereniging"
REPORT_BODY: dict[str, Any] = {
    "category": "discrimination",
    "description": "Opmerkingen in de kleedkamer — «dat hoort er nu eenmaal bij». 🚩\nTweede regel.",
    "occurred_on": "2026-03-14",
    "location": "Clubhuis",
    "wants_contact": True,
    "contact": "via de mailbox",
}
MESSAGE_BODY: dict[str, Any] = {"text": "Dank je wel. Ünïcode ✓"}


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
def sealed_by_browser(
    vcp_keys: dict[SuiteName, list[PrivateKey]], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Any]:
    directory = tmp_path_factory.mktemp("web-interop")
    request = {
        "org_id": ORG,
        "report_body": REPORT_BODY,
        "message_body": MESSAGE_BODY,
        "vcps": {s: [k.public_key.model_dump() for k in keys] for s, keys in vcp_keys.items()},
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
