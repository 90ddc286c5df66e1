from __future__ import annotations

import base64
import secrets

import pytest

from shared.crypto import b64url_decode, b64url_encode, pad, padded_size, unpad


@pytest.mark.parametrize("n", [0, 1, 2, 3, 4, 31, 32, 33, 1216])
def test_b64url_round_trip_has_no_padding(n: int) -> None:
    data = secrets.token_bytes(n)
    text = b64url_encode(data)
    assert "=" not in text
    assert text == base64.urlsafe_b64encode(data).decode().rstrip("=")
    assert b64url_decode(text) == data


@pytest.mark.parametrize(
    "text",
    [
        "AAAA=",  # padding
        "AA==",  # padding
        "ab+/",  # standard alphabet
        "ab cd",  # whitespace
        "abc\n",
        "A",  # impossible length
        "AAAAA",
        "AB",  # unused bits set: canonical form of that byte is "AA"
        "éé",
    ],
)
def test_b64url_decode_rejects_bad_input(text: str) -> None:
    with pytest.raises(ValueError, match="base64url"):
        b64url_decode(text)


def test_b64url_decode_rejects_non_str() -> None:
    with pytest.raises(ValueError):
        b64url_decode(b"AAAA")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("body_len", "expected"),
    [
        (0, 1024),
        (1, 1024),
        (1020, 1024),  # 4 + 1020 fills the minimum bucket exactly
        (1021, 2048),
        (2044, 2048),
        (2045, 4096),
        (4092, 4096),
        (4096, 8192),
        (100_000, 131072),
    ],
)
def test_padded_size_is_power_of_two_at_least_1024(body_len: int, expected: int) -> None:
    assert padded_size(body_len) == expected
    body = secrets.token_bytes(body_len)
    padded = pad(body)
    assert len(padded) == expected
    assert padded[:4] == body_len.to_bytes(4, "big")
    assert padded[4 : 4 + body_len] == body
    assert padded[4 + body_len :] == bytes(expected - 4 - body_len)
    assert unpad(padded) == body


def test_unpad_rejects_non_power_of_two() -> None:
    with pytest.raises(ValueError, match="power of two"):
        unpad(pad(b"x")[:-1])
    with pytest.raises(ValueError, match="power of two"):
        unpad(bytes(512))


def test_unpad_rejects_length_beyond_buffer() -> None:
    padded = bytearray(pad(b"hello"))
    padded[:4] = (5000).to_bytes(4, "big")
    with pytest.raises(ValueError, match="exceeds"):
        unpad(bytes(padded))
    padded[:4] = (1021).to_bytes(4, "big")  # one byte too many for a 1024 buffer
    with pytest.raises(ValueError, match="exceeds"):
        unpad(bytes(padded))


def test_unpad_accepts_a_larger_bucket() -> None:
    # A sender reading "next power of two" as strictly greater pads 1020 bytes to 2048.
    body = b"x" * 1020
    assert unpad((1020).to_bytes(4, "big") + body + bytes(2048 - 1024)) == body
    assert unpad((5).to_bytes(4, "big") + b"hello" + bytes(4096 - 9)) == b"hello"


def test_unpad_rejects_non_zero_padding() -> None:
    padded = bytearray(pad(b"hello"))
    padded[-1] = 1
    with pytest.raises(ValueError, match="non-zero"):
        unpad(bytes(padded))
