import base64
import hashlib
import hmac

import pytest

from services.notify.domain.webhook_signature import (
    MAX_SECRET_BYTES,
    MIN_SECRET_BYTES,
    WebhookVerificationError,
    generate_secret,
    parse_secret,
    sign,
    signature_headers,
    verify,
)

# The example of the Standard Webhooks specification and its reference libraries.
SPEC_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
SPEC_MSG_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek"
SPEC_TIMESTAMP = 1614265330
SPEC_BODY = b'{"test": 2432232314}'
SPEC_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="


def _secret_of(key: bytes) -> str:
    return "whsec_" + base64.b64encode(key).decode()


def test_sign_matches_the_standard_webhooks_example() -> None:
    key = parse_secret(SPEC_SECRET)
    assert sign(key, SPEC_MSG_ID, SPEC_TIMESTAMP, SPEC_BODY) == SPEC_SIGNATURE


def test_sign_matches_an_independently_computed_hmac() -> None:
    key = bytes(range(32))
    body = '{"type":"nl.safehands.volunteer.applied.v1","data":{"naam":"Zoë"}}'.encode()
    expected = hmac.new(key, b"evt_42.1700000000." + body, hashlib.sha256).digest()

    assert sign(key, "evt_42", 1700000000, body) == "v1," + base64.b64encode(expected).decode()


def test_signature_headers_carry_id_timestamp_and_signature() -> None:
    headers = signature_headers(SPEC_SECRET, SPEC_MSG_ID, SPEC_TIMESTAMP, SPEC_BODY)

    assert headers == {
        "webhook-id": SPEC_MSG_ID,
        "webhook-timestamp": str(SPEC_TIMESTAMP),
        "webhook-signature": SPEC_SIGNATURE,
    }


def test_signature_headers_accept_the_raw_key() -> None:
    key = parse_secret(SPEC_SECRET)
    assert signature_headers(key, SPEC_MSG_ID, SPEC_TIMESTAMP, SPEC_BODY) == signature_headers(
        SPEC_SECRET, SPEC_MSG_ID, SPEC_TIMESTAMP, SPEC_BODY
    )


@pytest.mark.parametrize("size", [MIN_SECRET_BYTES, 32, MAX_SECRET_BYTES])
def test_parse_secret_returns_the_key_bytes(size: int) -> None:
    key = bytes(range(size))
    assert parse_secret(_secret_of(key)) == key


def test_parse_secret_uses_the_standard_base64_alphabet() -> None:
    key = b"\xfb\xff\xbf" * 8  # encodes to "+/+/..." in standard base64, "-_-_" url-safe
    secret = _secret_of(key)
    assert "+" in secret and "/" in secret
    assert parse_secret(secret) == key
    with pytest.raises(ValueError, match="base64"):
        parse_secret("whsec_" + base64.urlsafe_b64encode(key).decode())


@pytest.mark.parametrize(
    ("secret", "complaint"),
    [
        (_secret_of(bytes(MIN_SECRET_BYTES - 1)), "24 to 64"),
        (_secret_of(bytes(MAX_SECRET_BYTES + 1)), "24 to 64"),
        ("whsec_", "24 to 64"),
        ("whsec_not base64!", "base64"),
        ("whsec_" + base64.b64encode(bytes(32)).decode().rstrip("="), "base64"),
        (base64.b64encode(bytes(32)).decode(), "whsec_"),
        ("WHSEC_" + base64.b64encode(bytes(32)).decode(), "whsec_"),
        ("", "whsec_"),
    ],
    ids=[
        "too-short",
        "too-long",
        "empty-key",
        "bad-base64",
        "missing-padding",
        "missing-prefix",
        "wrong-case-prefix",
        "empty",
    ],
)
def test_parse_secret_refuses_malformed_secrets(secret: str, complaint: str) -> None:
    with pytest.raises(ValueError, match=complaint):
        parse_secret(secret)


def test_generate_secret_makes_distinct_parseable_secrets() -> None:
    first, second = generate_secret(), generate_secret()
    assert first != second
    assert len(parse_secret(first)) == 32
    assert len(parse_secret(generate_secret(MAX_SECRET_BYTES))) == MAX_SECRET_BYTES
    with pytest.raises(ValueError):
        generate_secret(MIN_SECRET_BYTES - 1)


def test_verify_accepts_a_genuine_recent_delivery() -> None:
    headers = signature_headers(SPEC_SECRET, SPEC_MSG_ID, SPEC_TIMESTAMP, SPEC_BODY)
    verify(SPEC_SECRET, headers, SPEC_BODY, now=SPEC_TIMESTAMP + 60)


def test_verify_ignores_header_case_and_accepts_one_of_several_signatures() -> None:
    old_key = bytes(range(24))
    headers = {
        "Webhook-Id": SPEC_MSG_ID,
        "Webhook-Timestamp": str(SPEC_TIMESTAMP),
        # As during a secret rotation: one signature per secret.
        "Webhook-Signature": f"{sign(old_key, SPEC_MSG_ID, SPEC_TIMESTAMP, SPEC_BODY)} "
        + SPEC_SIGNATURE,
    }
    verify(SPEC_SECRET, headers, SPEC_BODY, now=SPEC_TIMESTAMP)


def test_verify_refuses_a_changed_body() -> None:
    headers = signature_headers(SPEC_SECRET, SPEC_MSG_ID, SPEC_TIMESTAMP, SPEC_BODY)
    with pytest.raises(WebhookVerificationError, match="signature"):
        verify(SPEC_SECRET, headers, SPEC_BODY + b" ", now=SPEC_TIMESTAMP)


def test_verify_refuses_another_secret() -> None:
    headers = signature_headers(SPEC_SECRET, SPEC_MSG_ID, SPEC_TIMESTAMP, SPEC_BODY)
    with pytest.raises(WebhookVerificationError):
        verify(generate_secret(), headers, SPEC_BODY, now=SPEC_TIMESTAMP)


@pytest.mark.parametrize("skew", [-301, 301])
def test_verify_refuses_timestamps_outside_the_tolerance(skew: int) -> None:
    headers = signature_headers(SPEC_SECRET, SPEC_MSG_ID, SPEC_TIMESTAMP, SPEC_BODY)
    with pytest.raises(WebhookVerificationError, match="seconds"):
        verify(SPEC_SECRET, headers, SPEC_BODY, now=SPEC_TIMESTAMP + skew)
    verify(SPEC_SECRET, headers, SPEC_BODY, now=SPEC_TIMESTAMP + skew, tolerance_seconds=301)


@pytest.mark.parametrize("missing", ["webhook-id", "webhook-timestamp", "webhook-signature"])
def test_verify_refuses_missing_headers(missing: str) -> None:
    headers = signature_headers(SPEC_SECRET, SPEC_MSG_ID, SPEC_TIMESTAMP, SPEC_BODY)
    del headers[missing]
    with pytest.raises(WebhookVerificationError, match=missing):
        verify(SPEC_SECRET, headers, SPEC_BODY, now=SPEC_TIMESTAMP)


def test_verify_refuses_a_malformed_timestamp() -> None:
    headers = signature_headers(SPEC_SECRET, SPEC_MSG_ID, SPEC_TIMESTAMP, SPEC_BODY)
    headers["webhook-timestamp"] = "1614265330.5"
    with pytest.raises(WebhookVerificationError, match="Unix seconds"):
        verify(SPEC_SECRET, headers, SPEC_BODY, now=SPEC_TIMESTAMP)


def test_verify_refuses_a_signature_of_another_version() -> None:
    headers = signature_headers(SPEC_SECRET, SPEC_MSG_ID, SPEC_TIMESTAMP, SPEC_BODY)
    headers["webhook-signature"] = headers["webhook-signature"].replace("v1,", "v1a,")
    with pytest.raises(WebhookVerificationError):
        verify(SPEC_SECRET, headers, SPEC_BODY, now=SPEC_TIMESTAMP)
