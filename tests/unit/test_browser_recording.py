"""The browser recording's `settle` ends even when the browser never tells a request's
complete headers (CI saw a proof-of-work test hang for 300 s there), and says which
requests kept only the headers the page set."""

from __future__ import annotations

import asyncio
from typing import cast

from playwright.async_api import Request

from tests.support.browser import BrowserRecording


class _Request:
    """What the recording reads of a Playwright request; `all_headers` waits as asked."""

    def __init__(self, url: str, answers: bool) -> None:
        self.url = url
        self.method = "POST"
        self.headers = {"x-altcha": "solved"}
        self.post_data_buffer = None
        self.resource_type = "fetch"
        self._answers = answers

    async def all_headers(self) -> dict[str, str]:
        if not self._answers:
            await asyncio.Event().wait()  # Chromium's extra-info event that never comes
        return {**self.headers, "host": "gateway"}


async def test_settle_ends_when_a_request_never_gets_its_complete_headers() -> None:
    recording = BrowserRecording()
    recording._on_request(cast(Request, _Request("http://gateway/answered", answers=True)))
    recording._on_request(cast(Request, _Request("http://gateway/worker.js", answers=False)))
    await asyncio.wait_for(recording.settle(timeout=0.5), timeout=5)
    answered, stuck = recording.requests
    assert (answered.headers_complete, answered.headers["host"]) == (True, "gateway")
    assert (stuck.headers_complete, stuck.headers) == (False, {"x-altcha": "solved"})
    assert not recording._pending
