"""What identity adds to the runtime: its signing key, its mail sender (also a background
task, which the runtime runs) and its sign-in rate limiter, all made once at start."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import HTTPException, status

from services.identity.mail_sender import MailSender
from services.identity.rate_limit import sign_in_limiter
from services.identity.signing import Signer
from shared.mail.set_aside import SetAsideMails
from shared.mail.smtp import SmtpMailer
from shared.runtime.background import BackgroundTask
from shared.runtime.rate_limit import RateLimiter
from shared.runtime.runtime import Runtime


def identity_extensions(runtime: Runtime) -> Mapping[str, Any]:
    settings = runtime.settings
    # identity trusts its own keys (current and next) without fetching its own JWKS.
    signer = Signer.from_settings(settings, trust=runtime.token_verifier.add_key)
    return {
        "signer": signer,
        "mail_sender": MailSender(
            SmtpMailer.from_settings(settings), SetAsideMails(runtime.metrics)
        ),
        "sign_in_limiter": sign_in_limiter(runtime),
    }


def identity_background(runtime: Runtime) -> Sequence[BackgroundTask]:
    return (mail_sender_of(runtime),)


def _extension(runtime: Runtime, name: str) -> Any:
    if name not in runtime.extensions:
        raise HTTPException(
            status.HTTP_503_SERVICE_UNAVAILABLE,
            "identity is still starting; please try again in a moment.",
            headers={"Retry-After": "2"},
        )
    return runtime.extensions[name]


def signer_of(runtime: Runtime) -> Signer:
    signer: Signer = _extension(runtime, "signer")
    return signer


def mail_sender_of(runtime: Runtime) -> MailSender:
    sender: MailSender = _extension(runtime, "mail_sender")
    return sender


def limiter_of(runtime: Runtime) -> RateLimiter:
    limiter: RateLimiter = _extension(runtime, "sign_in_limiter")
    return limiter
