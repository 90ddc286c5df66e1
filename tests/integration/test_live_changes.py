"""Live pages (issue 20, item 5): `GET /v1/orgs/{org}/changes`, a stream of server-sent
events through the gateway, on the real broker and database with every service running.

It is authorised like any request (no token 401, another organisation's token 404), it tells
a coordinator of a new application without a word of it (a canary in the application's name,
address and motivation never shows), and a member removed while their stream is open loses
it within seconds, though their token is still valid.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
import uuid
from dataclasses import dataclass, field

import httpx

from tests.support.platform import Infrastructure, Platform, bearer, eventually


@dataclass
class Stream:
    """A stream read in a thread: its raw bytes, its events, and whether it ended."""

    url: str
    headers: dict[str, str]
    raw: bytearray = field(default_factory=bytearray)
    events: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    status: int | None = None
    ended_at: float | None = None

    def start(self) -> Stream:
        threading.Thread(target=self._read, daemon=True).start()
        return self

    def _read(self) -> None:
        # The platform may stop under an open stream at the end of a test.
        with contextlib.suppress(httpx.HTTPError):
            self._read_all()
        self.ended_at = time.monotonic()

    def _read_all(self) -> None:
        with (
            httpx.Client(timeout=httpx.Timeout(10, read=60)) as client,
            client.stream("GET", self.url, headers=self.headers) as answer,
        ):
            self.status = answer.status_code
            name = ""
            for line in answer.iter_lines():
                self.raw.extend(line.encode() + b"\n")
                if line.startswith("event:"):
                    name = line.split(":", 1)[1].strip()
                elif line.startswith("data:"):
                    self.events.append((name, json.loads(line.split(":", 1)[1])))

    def named(self, name: str) -> list[dict[str, str]]:
        return [data for event, data in self.events if event == name]


def test_the_changes_stream_is_authorised_content_free_and_ends_for_a_removed_member(
    platform: Platform, infra: Infrastructure
) -> None:
    services = platform.start_services()
    gateway = platform.start_gateway()
    org, other = (f"org-{uuid.uuid4().hex[:6]}" for _ in range(2))
    operator = bearer(infra.token("operator"))
    policy = services["policy"].client()
    for slug in (org, other):
        answer = policy.post(
            "/v1/orgs", json={"org_id": slug, "name": "De Bevers"}, headers=operator
        )
        assert answer.status_code == 201, answer.text
    ada = bearer(infra.token("admin", org, "ada"))
    cora = bearer(infra.token("coordinator", org, "cora"))
    stranger = bearer(infra.token("coordinator", other, "cora"))
    changes = f"{gateway.url}/api/policy/v1/orgs/{org}/changes"

    with httpx.Client(timeout=10) as client:
        assert client.get(changes).status_code == 401
        assert client.get(changes, headers=stranger).status_code == 404
        # A token in the URL is no way in: only the Authorization header counts.
        token = cora["Authorization"].removeprefix("Bearer ")
        assert client.get(changes, params={"access_token": token}).status_code == 401

    stream = Stream(changes, cora).start()
    eventually(lambda: stream.named("ready"), timeout=10)
    assert stream.status == 200

    role = {"title": "Coach", "works_with_minors": False, "works_with_vulnerable": False}
    assert policy.put(f"/v1/orgs/{org}/roles/coach", json=role, headers=ada).status_code == 200
    canary = f"canary{uuid.uuid4().hex[:12]}"
    applied: dict[str, str] = {}

    def apply() -> bool:
        with services["intake"].client() as intake:
            answer = intake.post(
                f"/v1/orgs/{org}/applications",
                json={
                    "role_id": "coach",
                    "name": f"Vince {canary}",
                    "email": f"{canary}@example.org",
                    "motivation": f"I like {canary}",
                },
            )
        if answer.status_code == 202:
            applied.update(answer.json())
        return answer.status_code == 202

    eventually(apply, timeout=30)
    volunteer_id = applied["volunteer_id"]
    # Heard through the gateway, unbuffered, without a refresh: the id the coordinator sees
    # in the pipeline anyway, and nothing else.
    heard = eventually(
        lambda: [c for c in stream.named("change") if c.get("volunteer_id") == volunteer_id],
        timeout=20,
    )
    assert heard[0] == {"kind": "volunteer", "volunteer_id": volunteer_id}
    for change in stream.named("change"):
        assert set(change) <= {"kind", "volunteer_id"}, change
    assert canary.encode() not in bytes(stream.raw)
    # What the hint points at is there to fetch.
    listed = policy.get(f"/v1/orgs/{org}/volunteers", headers=cora).json()
    assert volunteer_id in {row["volunteer_id"] for row in listed["items"]}

    # Removed while the stream is open: it ends within seconds (token still valid).
    with services["identity"].client() as identity:
        assert identity.delete(f"/v1/orgs/{org}/members/cora", headers=ada).status_code == 204
    removed_at = time.monotonic()
    eventually(lambda: stream.ended_at is not None, timeout=15)
    assert stream.ended_at is not None and stream.ended_at - removed_at < 15
    assert stream.named("end") == [{"reason": "not a member"}]
    with httpx.Client(timeout=10) as client:
        assert client.get(changes, headers=cora).status_code == 403
    policy.close()


def test_a_volunteer_hears_only_of_their_own_file(
    platform: Platform, infra: Infrastructure
) -> None:
    """A volunteer's stream tells of their own file, never of another applicant's."""
    services = platform.start_services()
    org = f"org-{uuid.uuid4().hex[:6]}"
    operator = bearer(infra.token("operator"))
    with services["policy"].client() as policy, services["intake"].client() as intake:
        assert (
            policy.post("/v1/orgs", json={"org_id": org, "name": "X"}, headers=operator).status_code
            == 201
        )
        ada = bearer(infra.token("admin", org, "ada"))
        role = {"title": "Coach", "works_with_minors": False, "works_with_vulnerable": False}
        assert policy.put(f"/v1/orgs/{org}/roles/coach", json=role, headers=ada).status_code == 200

        def apply(name: str) -> str:
            answer = eventually(
                lambda: (
                    (
                        a := intake.post(
                            f"/v1/orgs/{org}/applications",
                            json={
                                "role_id": "coach",
                                "name": name,
                                "email": f"{name}-{org}@example.org",
                            },
                        )
                    ).status_code
                    == 202
                    and a
                ),
                timeout=30,
            )
            return str(answer.json()["volunteer_id"])

        vince = apply("vince")
        vera = bearer(infra.token("volunteer", org, vince))
        stream = Stream(f"{services['policy'].url}/v1/orgs/{org}/changes", vera).start()
        eventually(lambda: stream.named("ready"), timeout=10)
        other = apply("olga")
        cora = bearer(infra.token("coordinator", org, "cora"))
        recorded = eventually(
            lambda: (
                (
                    a := intake.post(
                        f"/v1/orgs/{org}/volunteers/{vince}/interview",
                        json={"outcome": "proceed"},
                        headers=cora,
                    )
                ).status_code
                == 201
                and a
            ),
            timeout=30,
        )
        assert recorded.status_code == 201
        eventually(lambda: stream.named("change"), timeout=20)
        time.sleep(2)  # room for a hint about the other applicant, were there one
        ids = {c.get("volunteer_id") for c in stream.named("change")}
        assert ids == {vince}, ids
        assert other not in bytes(stream.raw).decode()


def open_streams(service_url: str) -> float:
    text = httpx.get(f"{service_url}/metrics", timeout=5).text
    [line] = [row for row in text.splitlines() if row.startswith("safehands_live_streams ")]
    return float(line.split()[1])


def test_a_closed_stream_is_let_go_of_and_an_open_one_does_not_hold_up_a_stop(
    platform: Platform, infra: Infrastructure
) -> None:
    """A page that goes away leaves nothing behind on the instance; and a service asked to
    stop ends its open streams (`end`) at once instead of waiting out uvicorn's graceful
    timeout with them."""
    identity = platform.start("identity")
    reports = platform.start(
        "reports", env={"SAFEHANDS_JWKS_URL": f"{identity.url}/.well-known/jwks.json"}
    )
    org = f"org-{uuid.uuid4().hex[:6]}"
    admin = bearer(infra.token("admin", org, "ada"))
    changes = f"{reports.url}/v1/orgs/{org}/changes"

    with (
        httpx.Client(timeout=httpx.Timeout(10, read=60)) as client,
        client.stream("GET", changes, headers=admin) as answer,
    ):
        assert answer.status_code == 200
        assert answer.headers["content-type"].startswith("text/event-stream")
        lines = answer.iter_lines()  # kept: a dropped iterator closes the connection
        assert next(lines) == "event: ready"
        assert open_streams(reports.url) == 1
    eventually(lambda: open_streams(reports.url) == 0, timeout=20)

    stream = Stream(changes, admin).start()
    eventually(lambda: stream.named("ready"), timeout=10)
    started = time.monotonic()
    reports.child.stop()
    assert time.monotonic() - started < 8
    assert stream.named("end") == [{"reason": "service stopping"}]
