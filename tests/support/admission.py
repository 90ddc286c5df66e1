"""An organisation's people walking the admission steps over HTTP, as clients would."""

from __future__ import annotations

import hashlib
import uuid
from datetime import date
from typing import Any

import httpx

from tests.support.platform import Infrastructure, RunningService, eventually


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


class Organisation:
    """One organisation with tokens for its admin and coordinator, talking to intake and
    policy. Nothing is registered until `register` is called."""

    def __init__(
        self, infra: Infrastructure, intake: RunningService, policy: RunningService
    ) -> None:
        self.id = f"org-{uuid.uuid4().hex[:6]}"
        self.infra = infra
        self.intake = intake.client()
        self.policy = policy.client()
        self.admin = bearer(infra.token("admin", self.id))
        self.coordinator = bearer(infra.token("coordinator", self.id))

    def use_policy(self, policy: RunningService) -> None:
        self.policy = policy.client()

    def volunteer(self, volunteer_id: str) -> dict[str, str]:
        return bearer(self.infra.token("volunteer", self.id, volunteer_id))

    def register(self) -> httpx.Response:
        return self.policy.post(
            "/v1/orgs",
            json={"org_id": self.id, "name": "Scouting De Bevers"},
            headers=bearer(self.infra.token("operator")),
        )

    def define_role(
        self, role_id: str, role: dict[str, Any], headers: dict[str, str] | None = None
    ) -> httpx.Response:
        return self.policy.put(
            f"/v1/orgs/{self.id}/roles/{role_id}", json=role, headers=headers or self.admin
        )

    def publish_code(self, text: str) -> httpx.Response:
        return self.policy.post(
            f"/v1/orgs/{self.id}/codes", json={"text": text}, headers=self.admin
        )

    def apply(self, role_id: str) -> str:
        body = {"role_id": role_id, "name": "Anna de Vries", "email": "anna@example.org"}

        def accepted() -> httpx.Response | None:
            # intake learns of the role from policy's event: eventually, not at once.
            answer = self.intake.post(f"/v1/orgs/{self.id}/applications", json=body)
            return answer if answer.status_code == 202 else None

        return str(eventually(accepted).json()["volunteer_id"])

    def interview(self, volunteer_id: str, outcome: str) -> httpx.Response:
        return self.intake.post(
            f"/v1/orgs/{self.id}/volunteers/{volunteer_id}/interview",
            json={"outcome": outcome, "notes": "Kennismaking"},
            headers=self.coordinator,
        )

    def sign(
        self, volunteer_id: str, version: int, text: str, headers: dict[str, str] | None = None
    ) -> httpx.Response:
        return self.intake.post(
            f"/v1/orgs/{self.id}/volunteers/{volunteer_id}/signature",
            json={
                "version": version,
                "sha256": hashlib.sha256(text.encode()).hexdigest(),
                "full_name": "Anna de Vries",
            },
            headers=headers or self.volunteer(volunteer_id),
        )

    def hand_in_vog(self, volunteer_id: str, issued_on: date, aspects: list[int]) -> httpx.Response:
        return self.intake.post(
            f"/v1/orgs/{self.id}/volunteers/{volunteer_id}/vog",
            json={
                "issued_on": issued_on.isoformat(),
                "screening_aspects": aspects,
                "checked_by": "Coordinator Jansen",
            },
            headers=self.coordinator,
        )

    def admission(self, volunteer_id: str) -> dict[str, Any] | None:
        answer = self.policy.get(
            f"/v1/orgs/{self.id}/volunteers/{volunteer_id}/admission", headers=self.coordinator
        )
        return answer.json() if answer.status_code == 200 else None

    def wait_for_admission(
        self, volunteer_id: str, status: str, missing: list[str], *, timeout: float = 30
    ) -> None:
        expected = {"status": status, "missing": missing}
        eventually(lambda: self.admission(volunteer_id) == expected, timeout=timeout)
