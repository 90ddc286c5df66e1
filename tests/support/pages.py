"""Driving the web app as people do, for browser tests: a browser of one's own per person,
signing in from the mail, the navigation, and the checks every page state gets (axe in both
languages, 320 px wide, nothing secret in URLs or browser storage)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from playwright.async_api import BrowserContext, Page, expect

from tests.support.browser import BrowserRecording, axe_violations, describe_violations
from tests.support.mail import mails_to, wait_for_sign_in_link
from tests.support.web_platform import WebPlatform

LANGUAGES = (("English", "en"), ("Nederlands", "nl"))
NARROW = 320
# A request URL that carries a secret: a sign-in code, a token (JWTs start with "eyJ").
SECRET_IN_URL = re.compile(r"[?#&;](code|token|access_token|refresh_token)=|eyJ", re.IGNORECASE)
# The one cookie there is: identity's sign-in cookie, on the gateway's plain HTTP (on HTTPS
# it is `__Host-safehands_refresh` with Path=/; services/identity/refresh_cookie.py).
SIGN_IN_COOKIE = "safehands_refresh"
SIGN_IN_COOKIE_PATH = "/api/identity/v1/"


def assert_only_the_sign_in_cookie(cookies: list[Any], domain: str = "127.0.0.1") -> str:
    """The browser holds exactly the sign-in cookie, as identity sets it: HttpOnly (no script
    reads it), SameSite=Strict, scoped to identity's path (on `domain`, the platform's host).
    Returns its value."""
    assert [c["name"] for c in cookies] == [SIGN_IN_COOKIE], cookies
    [cookie] = cookies
    assert cookie["httpOnly"] is True, cookie
    assert cookie["sameSite"] == "Strict", cookie
    assert cookie["path"] == SIGN_IN_COOKIE_PATH, cookie
    assert cookie["domain"] == domain, cookie
    assert len(cookie["value"]) >= 43, "a refresh token of 256 random bits"
    return str(cookie["value"])


@dataclass
class Person:
    """One person's own browser: a context with its recording, and the sign-in codes its
    mails held (to check where they went)."""

    context: BrowserContext
    page: Page
    recording: BrowserRecording
    codes: list[str] = field(default_factory=list)


async def open_browser(new_context: Any, web: WebPlatform, recording: BrowserRecording) -> Person:
    """A fresh context on the gateway, recorded from its first request, with a 320 px page."""
    context: BrowserContext = await new_context(base_url=web.url)
    await recording.attach(context)
    page = await context.new_page()
    await page.set_viewport_size({"width": NARROW, "height": 900})
    return Person(context, page, recording)


async def assert_accessible(page: Page) -> None:
    violations = await axe_violations(page)
    assert violations == [], describe_violations(violations)


async def assert_fits(page: Page) -> None:
    """Nothing sticks out sideways: the page reads at its width unscrolled."""
    overflow = await page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{overflow} px wider than the window"


async def assert_fits_320_pixels(page: Page) -> None:
    """At 320 CSS pixels wide nothing scrolls sideways, and axe still finds nothing; the
    page gets its window size back after."""
    size = page.viewport_size
    await page.set_viewport_size({"width": 320, "height": 900})
    try:
        await assert_fits(page)
        await assert_accessible(page)
    finally:
        if size:
            await page.set_viewport_size(size)


async def check_page(page: Page) -> None:
    """axe finds nothing in English and in Dutch (the switch keeps the page and the session),
    and the page fits its width; it ends in Dutch."""
    for name, code in LANGUAGES:
        await (
            page.get_by_role("navigation", name=re.compile("^(Taal|Language)$"))
            .get_by_role("link", name=name, exact=True)
            .click()
        )
        await expect(page.locator("html")).to_have_attribute("lang", code)
        await assert_accessible(page)
    await assert_fits(page)


async def follow_sign_in_link(person: Person, web: WebPlatform, address: str, after: int) -> None:
    """Open the first sign-in link mailed to `address` after its first `after` mails, and
    wait until the app has taken the code and left the callback page."""
    link = await wait_for_sign_in_link(web.maildir, address, after=after)
    person.codes.append(link.split("#code=", 1)[1])
    await person.page.goto(link)
    await person.page.wait_for_url(lambda url: "/sign-in/callback" not in url)


async def sign_in_from_mail(
    person: Person, web: WebPlatform, address: str, next_path: str | None = None
) -> None:
    """Ask for a link on the sign-in page (to come back to `next_path`) and follow it."""
    before = len(mails_to(web.maildir, address))
    await person.page.goto(f"/sign-in?next={next_path}" if next_path else "/sign-in")
    await person.page.get_by_test_id("sign-in-email").fill(address)
    await person.page.get_by_test_id("sign-in-submit").click()
    await expect(person.page.get_by_test_id("sign-in-sent")).to_contain_text(address)
    await follow_sign_in_link(person, web, address, before)
    await person.page.wait_for_url(re.compile(f"{re.escape(next_path or '/me')}(\\?.*)?$"))


async def open_from_navigation(page: Page, name: str, path: str) -> None:
    """Through the app's own links, as a person clicks them."""
    await page.get_by_test_id("session-nav").get_by_role("link", name=name, exact=True).click()
    await page.wait_for_url(re.compile(f"{re.escape(path)}(\\?.*)?$"))
    # The address changes at once; the page it names replaces the last one once its script
    # and texts are here, and the document says it is busy until then (App.svelte).
    await expect(page.locator("body")).not_to_have_attribute("aria-busy", "true")


async def assert_navigation_shows(page: Page, shown: set[str], hidden: set[str]) -> None:
    navigation = page.get_by_test_id("session-nav")
    for name in shown:
        await expect(navigation.get_by_role("link", name=name, exact=True)).to_be_visible()
    for name in hidden:
        await expect(navigation.get_by_role("link", name=name, exact=True)).to_have_count(0)


async def assert_nothing_leaked(person: Person, web: WebPlatform) -> None:
    """No CSP violation or script error; nothing left this origin; no request URL held a
    code or token; each sign-in code went out once, in the body of the exchange; and the
    browser keeps nothing but the HttpOnly sign-in cookie (no other cookie, no local or
    session storage, no IndexedDB), which went to identity alone."""
    recording = person.recording
    await recording.settle()
    assert recording.csp_violations == [], recording.csp_violations
    assert recording.page_errors == [], recording.page_errors
    assert recording.requests_to_other_origins(web.origin) == []
    assert [r.url for r in recording.requests if SECRET_IN_URL.search(r.url)] == []
    for code in person.codes:
        carrying = recording.requests_containing(code)
        assert [(r.method, r.url.split("/api/")[-1]) for r in carrying] == [
            ("POST", "identity/v1/sign-in/exchange")
        ]
    state = await person.context.storage_state(indexed_db=True)
    assert state["origins"] == [], state
    refresh_token = assert_only_the_sign_in_cookie(
        state["cookies"], urlsplit(web.url).hostname or ""
    )
    carrying = [r.url for r in recording.requests_containing(refresh_token)]
    assert all("/api/identity/v1/" in url for url in carrying), carrying
    assert await person.page.evaluate("sessionStorage.length + localStorage.length") == 0
    assert await person.page.evaluate("document.cookie") == ""


# Records every layout shift of a page (an init script, so from the first paint on); shifts
# within half a second of the person's own input are not counted, as in CLS.
LAYOUT_SHIFTS = """
window.__shifts = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    window.__shifts.push({
      value: entry.value,
      input: entry.hadRecentInput,
      moved: entry.sources.map((s) => (s.node && s.node.outerHTML) || "").map((h) => h.slice(0, 80)),
    });
  }
}).observe({ type: "layout-shift", buffered: true });
"""
# The standard is no layout shift (Lighthouse's "good" CLS, 0.1, is far too loose for pages
# people work in). Every page measures 0 now; the thousandth allows a sub-pixel rounding, not a
# part that arrives late (/me's membership card growing a line when its organisation's name
# came after the slug was 0.011).
MAX_LAYOUT_SHIFT = 0.001


async def layout_shift(page: Page) -> tuple[float, list[dict[str, Any]]]:
    """The page's layout shift since it loaded (not counting those after input), and the
    shifts themselves, to say what moved."""
    shifts: list[dict[str, Any]] = await page.evaluate("window.__shifts")
    counted = [shift for shift in shifts if not shift["input"]]
    return sum(shift["value"] for shift in counted), counted
