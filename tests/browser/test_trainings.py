"""The regional centre's trainings through the pages alone (issue 25 item 2): the operator
publishes a training of one seat on /operator; one organisation's admin takes the seat on
/me, another organisation's admin joins the waiting list by keyboard; the first cancels,
the seat goes to the second with a mail, and their calendar file is downloaded and parsed;
the operator sees both organisations and marks attendance, moves the training a day later by
keyboard (the member is mailed once, and their calendar file keeps its UID with SEQUENCE 1),
then cancels it by keyboard: the member is mailed, and /me marks it and offers no
registration. axe finds nothing in Dutch and English, and the pages fit 320 px."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar
from playwright.async_api import Page, expect

from tests.browser.test_admission_walk import operator_and_admin, register_organisation
from tests.support.browser import BrowserRecording
from tests.support.mail import body_text, wait_for_mail
from tests.support.pages import check_page, follow_sign_in_link, open_browser
from tests.support.web_platform import WebPlatform

pytestmark = pytest.mark.e2e

TITLE = "Basistraining vertrouwenscontactpersoon"


async def register_on_me(page: Page, name: str, email: str, *, keyboard: bool = False) -> None:
    await page.goto("/me")
    trainings = page.get_by_test_id("my-trainings")
    await expect(trainings).to_contain_text(TITLE)
    await page.get_by_test_id("training-name").fill(name)
    await page.get_by_test_id("training-email").fill(email)
    button = trainings.locator("[data-testid^=training-register-]")
    await expect(button).to_contain_text("Op de wachtlijst" if keyboard else "Aanmelden")
    if keyboard:
        await button.focus()
        await page.keyboard.press("Enter")
    else:
        await button.click()


async def test_a_training_filled_and_a_waiting_list_seat_freed_and_given(
    new_context: Any, web_platform: WebPlatform, tmp_path: Path
) -> None:
    web = web_platform
    first_org, second_org = (f"club-{uuid.uuid4().hex[:6]}" for _ in range(2))
    operator, first = await operator_and_admin(new_context, web, first_org, "Hockeyclub De Bal")
    second_email = f"admin-{second_org}@example.org"
    await register_organisation(operator, second_org, "Koor Zangrijk", second_email)
    second = await open_browser(new_context, web, BrowserRecording())
    await follow_sign_in_link(second, web, second_email, after=0)
    await second.page.wait_for_url(lambda url: "/sign-in" not in url)

    # The operator publishes a training of one seat.
    page = operator.page
    await page.goto("/operator")
    form = page.get_by_test_id("op-trainings")
    await form.get_by_test_id("tr-title").fill(TITLE)
    await form.get_by_test_id("tr-description").fill("Wat een VCP doet, en wat niet.")
    await form.get_by_test_id("tr-audience-vcps").check()
    start = (datetime.now() + timedelta(days=10)).replace(hour=9, minute=0, second=0, microsecond=0)
    await form.get_by_test_id("tr-start").fill(start.strftime("%Y-%m-%dT%H:%M"))
    await form.get_by_test_id("tr-end").fill(
        (start + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M")
    )
    await form.get_by_test_id("tr-place").fill("Utrecht, Stadhuisplein 1")
    await form.get_by_test_id("tr-seats").fill("1")
    await form.get_by_test_id("tr-publish").click()
    await expect(form.get_by_test_id("tr-done")).to_contain_text(TITLE)
    await check_page(page)

    # The first organisation's admin takes the seat; the second joins the waiting list.
    await register_on_me(first.page, "Femke de Bal", f"femke-{first_org}@example.org")
    await expect(first.page.get_by_test_id("trainings-done")).to_contain_text("Je bent aangemeld")
    await register_on_me(
        second.page, "Sem Zangrijk", f"sem-{second_org}@example.org", keyboard=True
    )
    done = second.page.get_by_test_id("trainings-done")
    await expect(done).to_contain_text("wachtlijst, als nummer 1")
    await check_page(second.page)

    # The first cancels: the seat goes to the second, who is told by mail.
    await first.page.locator("[data-testid^=registration-cancel-]").click()
    await expect(first.page.get_by_test_id("trainings-done")).to_contain_text("afgemeld")
    mails = await wait_for_mail(web.maildir, f"sem-{second_org}@example.org")
    assert "Er is een plaats voor je vrijgekomen" in str(mails[0]["Subject"])
    assert "/me#trainings" in body_text(mails[0])
    await second.page.reload()
    mine = second.page.locator("[data-testid^=my-registration-]")
    await expect(mine).to_contain_text("aangemeld")

    # Their calendar file, downloaded and read back.
    async with second.page.expect_download() as downloading:
        await mine.locator("[data-testid^=registration-ics-]").click()
    download = await downloading.value
    assert download.suggested_filename == "basistraining-vertrouwenscontactpersoon-registration.ics"
    saved = tmp_path / "registration.ics"
    await download.save_as(saved)
    event = Calendar.from_ical(saved.read_bytes()).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == TITLE
    assert str(event["STATUS"]) == "CONFIRMED"
    assert str(event["LOCATION"]) == "Utrecht, Stadhuisplein 1"

    # The operator sees the registrations per organisation and marks attendance.
    await page.reload()
    listed = page.locator("[data-testid^=op-training-]:not([data-testid^=op-training-open-])")
    await listed.locator("[data-testid^=op-training-open-]").click()
    await expect(page.get_by_test_id(f"op-per-org-{second_org}")).to_contain_text("Koor Zangrijk")
    await expect(page.get_by_test_id(f"op-per-org-{first_org}")).to_have_count(0)
    attended = page.locator("[data-testid^=op-attended-]")
    await attended.check()
    await expect(page.get_by_test_id(f"op-per-org-{second_org}").locator("td").nth(2)).to_have_text(
        "1"
    )
    await check_page(page)

    # The room falls through: the operator moves the training a day later, by keyboard.
    await listed.locator("[data-testid^=tr-change-]").focus()
    await page.keyboard.press("Enter")
    await expect(form.get_by_test_id("tr-title")).to_be_focused()
    await expect(form.get_by_test_id("tr-editing")).to_contain_text(f"Je wijzigt {TITLE}")
    local = "%Y-%m-%dT%H:%M"
    await expect(form.get_by_test_id("tr-start")).to_have_value(start.strftime(local))
    moved = start + timedelta(days=1, hours=1)
    await form.get_by_test_id("tr-start").fill(moved.strftime(local))
    await form.get_by_test_id("tr-end").fill((moved + timedelta(hours=3)).strftime(local))
    await check_page(page)
    save = form.get_by_test_id("tr-publish")
    await expect(save).to_have_text("Wijziging opslaan")
    await save.focus()
    await page.keyboard.press("Enter")
    await expect(form.get_by_test_id("tr-done")).to_have_text(
        f"{TITLE} is gewijzigd. 1 aangemelde krijgt een mail met de nieuwe gegevens."
    )
    await expect(form.get_by_test_id("tr-editing")).to_have_count(0)
    await expect(listed.locator("[data-testid^=training-changed-]")).to_contain_text(
        "Gewijzigd door het regionale centrum op"
    )
    await check_page(page)
    # The one with the seat is told once, and their calendar file updates in place.
    changed = await wait_for_mail(web.maildir, f"sem-{second_org}@example.org", count=2)
    assert str(changed[-1]["Subject"]) == f"Gewijzigd: {TITLE}"
    assert "de begintijd en de eindtijd" in body_text(changed[-1])
    await second.page.reload()
    await expect(
        second.page.get_by_test_id("my-trainings").locator("[data-testid^=training-changed-]")
    ).to_be_visible()
    async with second.page.expect_download() as downloading:
        await mine.locator("[data-testid^=registration-ics-]").click()
    await (await downloading.value).save_as(saved)
    updated = Calendar.from_ical(saved.read_bytes()).walk("VEVENT")[0]
    assert (str(updated["UID"]), updated["SEQUENCE"]) == (str(event["UID"]), 1)
    assert updated.decoded("DTSTART") == moved.astimezone()
    await check_page(second.page)

    # The trainer falls ill: the operator cancels by keyboard, asked once more first.
    ask = listed.locator("[data-testid^=tr-cancel-]").first
    await ask.focus()
    await page.keyboard.press("Enter")
    confirm = listed.locator("[data-testid^=tr-cancel-yes-]")
    await expect(confirm).to_be_focused()
    await page.keyboard.press("Enter")
    await expect(form.get_by_test_id("tr-done")).to_contain_text("is afgelast")
    await expect(listed.locator("[data-testid^=training-cancelled-]")).to_have_text(
        "Afgelast door het regionale centrum"
    )
    await expect(listed.locator("[data-testid^=tr-cancel-]")).to_have_count(0)
    await check_page(page)
    # The one with the seat is told by mail; on /me the training is marked, not offered.
    told = await wait_for_mail(web.maildir, f"sem-{second_org}@example.org", count=3)
    assert str(told[-1]["Subject"]) == f"Gaat niet door: {TITLE}"
    await first.page.goto("/me")
    offered = first.page.get_by_test_id("my-trainings")
    await expect(offered.locator("[data-testid^=training-cancelled-]")).to_be_visible()
    await expect(offered.locator("[data-testid^=training-register-]")).to_have_count(0)
    await check_page(first.page)

    for person in (operator, first, second):
        await person.context.close()
