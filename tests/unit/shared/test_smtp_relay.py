"""Mail through a relay: STARTTLS required, then a login; a relay that offers no STARTTLS
gets no mail. A real SMTP server (aiosmtpd) on a free port, with a certificate made here."""

from __future__ import annotations

import datetime
import ssl
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from cli.embedded import free_port
from shared.mail.smtp import OutgoingMail, SmtpMailer, SmtpRefused
from shared.settings import load_settings

MAIL = OutgoingMail(mail_id="m-1", to="ada@example.org", subject="Sign in", text="…", kind="k")


def certificate(directory: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=1))
        .not_valid_after(now + datetime.timedelta(hours=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "relay.crt", directory / "relay.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


class Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[str, bytes]] = []

    async def handle_DATA(self, _server: Any, session: Any, envelope: Any) -> str:
        self.messages.append((session.auth_data.login.decode(), envelope.content))
        return "250 OK"


def authenticate(_server: Any, _session: Any, _envelope: Any, mechanism: str, data: Any) -> Any:
    ok = isinstance(data, LoginPassword) and (data.login, data.password) == (b"safehands", b"pw-1")
    return AuthResult(success=ok, handled=False, auth_data=data)


@pytest.fixture
def relay(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[int, Inbox]]:
    cert_path, key_path = certificate(tmp_path)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert_path, key_path)
    # The services trust the relay's certificate as they would a public CA's.
    monkeypatch.setenv("SSL_CERT_FILE", str(cert_path))
    inbox = Inbox()
    port = free_port()
    controller = Controller(
        inbox,
        hostname="127.0.0.1",
        port=port,
        tls_context=context,
        require_starttls=True,
        authenticator=authenticate,
        auth_require_tls=True,
    )
    controller.start()
    try:
        yield port, inbox
    finally:
        controller.stop()


async def test_mail_goes_to_the_relay_over_starttls_with_a_login(
    relay: tuple[int, Inbox], tmp_path: Path
) -> None:
    port, inbox = relay
    (tmp_path / "smtp_password").write_text("pw-1\n")
    settings = load_settings(
        smtp_host="localhost",
        smtp_port=port,
        smtp_starttls=True,
        smtp_username="safehands",
        smtp_password_file=tmp_path / "smtp_password",
    )
    await SmtpMailer.from_settings(settings).send(MAIL)
    [(login, content)] = inbox.messages
    assert login == "safehands" and b"Subject: Sign in" in content


async def test_a_wrong_password_sends_nothing(relay: tuple[int, Inbox], tmp_path: Path) -> None:
    port, inbox = relay
    mailer = SmtpMailer(
        "localhost", port, "x <x@example.org>", starttls=True, login=("safehands", "no")
    )
    with pytest.raises(SmtpRefused):
        await mailer.send(MAIL)
    assert inbox.messages == []


async def test_a_relay_without_starttls_gets_no_mail() -> None:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        mailer = SmtpMailer("localhost", port, "x <x@example.org>", starttls=True)
        with pytest.raises(SmtpRefused):
            await mailer.send(MAIL)
    finally:
        controller.stop()
    assert inbox.messages == []


def test_a_login_needs_both_the_user_and_the_password_file(tmp_path: Path) -> None:
    from shared.settings import SettingsError

    with pytest.raises(SettingsError, match="SAFEHANDS_SMTP_PASSWORD_FILE"):
        _ = load_settings(smtp_username="safehands").smtp_login
    (tmp_path / "pw").write_text("secret\n")
    assert load_settings(
        mongo_username="intake", mongo_password_file=tmp_path / "pw"
    ).mongo_login == (
        "intake",
        "secret",
    )
