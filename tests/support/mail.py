"""The SMTP sink's mails for tests: it writes each message it receives to a `.eml` file in
its maildir (`Infrastructure.maildir`). Also the sign-in links they carry, and signing in with
one through identity's API as a script would (`sign_in_by_api`)."""

from __future__ import annotations

import asyncio
import email
import email.policy
import re
import time
from email.message import EmailMessage
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tests.support.web_platform import WebPlatform

_LINK = re.compile(r"https?://[^\s<>\"')]+")


def read_mails(maildir: Path) -> list[EmailMessage]:
    """Every mail the sink received, oldest first."""
    found = []
    for path in sorted(maildir.glob("*.eml")):  # named by arrival time
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        found.append(message)
    return found


def mails_to(maildir: Path, *addresses: str) -> list[EmailMessage]:
    wanted = {address.lower() for address in addresses}
    return [m for m in read_mails(maildir) if str(m["To"]).lower() in wanted]


def body_text(message: EmailMessage) -> str:
    """The plain-text body (or the HTML one when there is no plain text)."""
    part = message.get_body(preferencelist=("plain", "html"))
    return "" if part is None else str(part.get_content())  # type: ignore[attr-defined]


def links_in(message: EmailMessage) -> list[str]:
    """The http(s) links of the body, in order (a sign-in link, an invitation…)."""
    return _LINK.findall(body_text(message))


def sign_in_mails(maildir: Path, address: str) -> int:
    """How many mails with a sign-in link (an invitation or a sign-in) `address` received:
    what a person pays in mails for being signed in."""
    return sum(
        1 for m in mails_to(maildir, address) if any("#code=" in link for link in links_in(m))
    )


async def wait_for_mail(
    maildir: Path, address: str, *, count: int = 1, timeout: float = 20
) -> list[EmailMessage]:
    """Wait (without blocking the event loop, so a page keeps running) until `address`
    has at least `count` mails; return them all. Fails with what did arrive."""
    deadline = time.monotonic() + timeout
    while True:
        found = mails_to(maildir, address)
        if len(found) >= count:
            return found
        if time.monotonic() > deadline:
            arrived = [(str(m["To"]), str(m["Subject"])) for m in read_mails(maildir)]
            raise AssertionError(
                f"{address} got {len(found)} of {count} mails within {timeout} s; "
                f"the sink holds {arrived}"
            )
        await asyncio.sleep(0.2)


async def wait_for_sign_in_link(
    maildir: Path, address: str, *, after: int, timeout: float = 30
) -> str:
    """The first sign-in link (`…/sign-in/callback#code=…`) mailed to `address` after its
    first `after` mails. Other mails to the same address (notify's, say) may arrive in
    between: they are passed over, not mistaken for the link."""
    deadline = time.monotonic() + timeout
    while True:
        for message in mails_to(maildir, address)[after:]:
            for link in links_in(message):
                if "#code=" in link:
                    return link
        if time.monotonic() > deadline:
            arrived = [(str(m["To"]), str(m["Subject"])) for m in read_mails(maildir)]
            raise AssertionError(
                f"no sign-in link reached {address} within {timeout} s; the sink holds {arrived}"
            )
        await asyncio.sleep(0.2)


async def wait_for_sign_in_code(
    maildir: Path, address: str, *, after: int, timeout: float = 30
) -> str:
    """The code of the first sign-in link mailed to `address` after its first `after` mails."""
    link = await wait_for_sign_in_link(maildir, address, after=after, timeout=timeout)
    return link.split("#code=", 1)[1]


async def sign_in_by_api(web: WebPlatform, address: str) -> str:
    """An access token for `address` without an organisation (the operator's, say), signed in
    through identity with the link from the mail, as a script would."""
    before = len(mails_to(web.maildir, address))
    with web.api("identity") as identity:
        assert identity.post("/v1/sign-in", json={"email": address}).status_code == 202
        code = await wait_for_sign_in_code(web.maildir, address, after=before)
        exchanged = identity.post("/v1/sign-in/exchange", json={"code": code})
        assert exchanged.status_code == 200, exchanged.text
        tokens = identity.post(
            "/v1/tokens",
            json={"refresh_token": exchanged.json()["refresh_token"], "org_id": None},
        )
        assert tokens.status_code == 200, tokens.text
        token: str = tokens.json()["access_token"]
        return token
