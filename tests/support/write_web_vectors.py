"""Write tests/vectors/python-crypto-v1.json: keys, envelopes and receipts made by shared/crypto.

`python -m tests.support.write_web_vectors` writes it; the output is committed and read by
the web app's Vitest tests (web/src/crypto/python-vectors.test.ts), so the browser's crypto
is checked against what the services and the command line produce. Run it again only when
the formats change: every run makes new keys and ciphertexts.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

from shared.crypto import (
    SUITES,
    MessageBody,
    PrivateKey,
    ReportBody,
    SuiteName,
    b64url_encode,
    derive_receipt_keys,
    format_receipt,
    generate_receipt,
    generate_recovery_code,
    message_context,
    normalize_receipt,
    padded_size,
    protect_private_key,
    report_context,
    seal,
)
from shared.crypto.keyfile import dump_key_file

OUTPUT = Path(__file__).parents[1] / "vectors" / "python-crypto-v1.json"
ORG = "sportclub-de-meeuwen"

REPORT = ReportBody.model_validate(
    {
        "category": "sexual_intimidation",
        "description": "Na de wedstrijd zei de trainer dingen die niet oké waren. «日本» — 🚩\n2e regel",
        "occurred_on": "2026-10-03",
        "location": "Kleedkamer 2",
        "wants_contact": True,
        "contact": "06-12345678, na 18:00",
    }
).to_body()
VCP_MESSAGE = MessageBody(text="Dank je. Wil je vertellen wie er nog meer bij was?").to_body()
REPORTER_MESSAGE = MessageBody(text="Mijn teamgenoot Sam was er ook bij.").to_body()
# Typed with decomposed accents (NFD); both sides normalise to NFC before Argon2id.
KEYFILE_PASSPHRASE = "Vertrouwelijk: Cafe\u0301 de\u0301 Meeuwen 1923 ✓"


def _key_json(key: PrivateKey) -> dict[str, Any]:
    return {
        # The project's raw form: the ML-KEM-768 seed (64 bytes) then the X25519 key.
        "private_key": b64url_encode(key.to_bytes()),
        "public_key": key.public_key.model_dump(),
        "fingerprint": key.fingerprint,
    }


def _suite_vectors(suite: SuiteName) -> dict[str, Any]:
    vcps = [PrivateKey.generate(suite) for _ in range(2)]
    vcp_public = [k.public_key for k in vcps]
    receipt = generate_receipt()
    reply = derive_receipt_keys(receipt, ORG, suite)
    report_id = str(uuid.uuid4())
    vcp_message_id = str(uuid.uuid4())
    reporter_message_id = str(uuid.uuid4())

    def case(body: dict[str, Any], context: str, recipients: list[Any]) -> dict[str, Any]:
        return {
            "context": context,
            "body": body,
            "envelope": seal(body, recipients, context).model_dump(mode="json"),
        }

    return {
        "org_id": ORG,
        "report_id": report_id,
        "receipt": format_receipt(receipt),
        "vcps": [_key_json(k) for k in vcps],
        "report": case(REPORT, report_context(ORG, report_id), vcp_public),
        "vcp_message": {
            "recipients": "the receipt's reply key, then both VCPs",
            **case(
                VCP_MESSAGE,
                message_context(ORG, report_id, vcp_message_id),
                [reply.reply_public_key, *vcp_public],
            ),
        },
        "reporter_message": {
            "recipients": "both VCPs",
            **case(
                REPORTER_MESSAGE, message_context(ORG, report_id, reporter_message_id), vcp_public
            ),
        },
    }


def _keyfile_vector(suite: SuiteName) -> dict[str, Any]:
    key = PrivateKey.generate(suite)
    recovery_code = generate_recovery_code()
    keyfile = protect_private_key(key, KEYFILE_PASSPHRASE, recovery_code)
    return {
        "passphrase": KEYFILE_PASSPHRASE,
        "recovery_code": recovery_code,
        "public_key": key.public_key.model_dump(),
        "fingerprint": key.fingerprint,
        # Exactly the text `safehands vcp keygen` saves.
        "file_text": dump_key_file(keyfile).decode("utf-8"),
    }


def _receipt_vector(typed: str, org_id: str) -> dict[str, Any]:
    derived = {suite: derive_receipt_keys(typed, org_id, suite) for suite in SUITES}
    hybrid = derived["MLKEM768-X25519"]
    return {
        "receipt_as_typed": typed,
        "org_id": org_id,
        "normalised": normalize_receipt(typed),
        "formatted": format_receipt(typed),
        "mailbox_secret_hex": hybrid.secret_hex,
        "lookup": hybrid.lookup,
        "reply_public_keys": {s: d.reply_public_key.model_dump() for s, d in derived.items()},
    }


def vectors() -> dict[str, Any]:
    receipt = generate_receipt()
    typed_forms = [
        receipt,
        format_receipt(receipt),
        " ".join(format_receipt(receipt).lower().split("-")),
        "\t" + receipt[:13].lower() + " - " + receipt[13:] + "\n",
    ]
    return {
        "about": (
            "Written by `python -m tests.support.write_web_vectors` with shared/crypto. The "
            "web app must open every envelope with the listed keys to exactly the body, and "
            "derive the listed values from every receipt. Private keys are the project's raw "
            "form (X25519, or the ML-KEM-768 seed then X25519), base64url without padding."
        ),
        "suites": {suite: _suite_vectors(suite) for suite in SUITES},
        "receipts": [
            *(_receipt_vector(typed, ORG) for typed in typed_forms),
            _receipt_vector(receipt, "another-org"),
        ],
        "keyfiles": {suite: _keyfile_vector(suite) for suite in SUITES},
        "padding": [
            {"body_json_bytes": n, "padded_bytes": padded_size(n)}
            for n in (0, 1, 1019, 1020, 1021, 2044, 2045, 65532, 65533)
        ],
    }


def main() -> None:
    OUTPUT.write_text(json.dumps(vectors(), indent=2, ensure_ascii=False) + "\n", "utf-8")
    print(f"wrote {OUTPUT}")


if __name__ == "__main__":
    main()
