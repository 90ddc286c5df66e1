"""HTTP client for the reporting API (docs/api.md: intake's report row and the reports rows),
used by `safehands vcp …` and `safehands report …` and importable by tests.

It moves ciphertext only: sealing and opening happen in the callers, on this device.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, Self

import altcha
import httpx

from shared.crypto import PublicKey

# The gateway of `safehands up` (one address for people and clients, docs/api.md), which
# serves each service's API under /api/<service>/.
DEFAULT_GATEWAY_URL = "http://127.0.0.1:8080"
DEFAULT_INTAKE_URL = f"{DEFAULT_GATEWAY_URL}/api/intake"
DEFAULT_REPORTS_URL = f"{DEFAULT_GATEWAY_URL}/api/reports"


class ApiError(Exception):
    """The platform answered with an error; `detail` is its sentence for people."""

    def __init__(self, status_code: int, detail: str) -> None:
        super().__init__(f"{detail} (HTTP {status_code})")
        self.status_code = status_code
        self.detail = detail


class ReportingError(Exception):
    """Something the person can act on, in one sentence."""


def _detail(response: httpx.Response) -> str:
    try:
        detail = response.json().get("detail")
    except (ValueError, AttributeError):
        detail = None
    return detail if isinstance(detail, str) else response.reason_phrase or "request failed"


# An organisation under pressure asks anonymous clients for proof of work (docs/api.md,
# "Proof of work"): a 428 whose body names the reason and carries an ALTCHA challenge.
PROOF_OF_WORK_STATUS = 428
PROOF_OF_WORK_REASONS = ("proof_of_work_required", "proof_of_work_invalid")
PROOF_OF_WORK_HEADER = "X-Altcha"
# A challenge the platform asks takes about a second; a server asking for much more than
# this is not answered, rather than keeping the reporter's machine busy for ever.
PROOF_OF_WORK_TIMEOUT_SECONDS = 120.0


def solve_proof_of_work(challenge: dict[str, Any]) -> str:
    """The X-Altcha header's value for `challenge` (ALTCHA v2, as the web page's widget
    makes it): the base64 of {"challenge", "solution": {"counter", "derivedKey"}}."""
    parsed = altcha.Challenge.from_dict(challenge)
    solution = altcha.solve_challenge(parsed, timeout=PROOF_OF_WORK_TIMEOUT_SECONDS)
    if solution is None:
        raise ApiError(PROOF_OF_WORK_STATUS, "The proof-of-work challenge took too long to solve.")
    return altcha.Payload(parsed, solution).to_base64()


def _challenge_in(response: httpx.Response) -> dict[str, Any] | None:
    if response.status_code != PROOF_OF_WORK_STATUS:
        return None
    try:
        body = response.json()
    except ValueError:
        return None
    challenge = body.get("challenge") if isinstance(body, dict) else None
    if body.get("reason") in PROOF_OF_WORK_REASONS and isinstance(challenge, dict):
        return challenge
    return None


@dataclass
class ReportingApi:
    """The platform as a reporter or a VCP sees it. `token` only for VCP calls."""

    intake_url: str = DEFAULT_INTAKE_URL
    reports_url: str = DEFAULT_REPORTS_URL
    token: str | None = None
    timeout: float = 30.0
    _http: httpx.Client = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._http = httpx.Client(timeout=self.timeout)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        _type: type[BaseException] | None,
        _exc: BaseException | None,
        _tb: TracebackType | None,
    ) -> None:
        self.close()

    def _call(self, method: str, url: str, *, body: Any = None, authenticated: bool = False) -> Any:
        headers = {}
        if authenticated:
            if not self.token:
                raise ApiError(401, "A token is needed: pass --token or set SH_TOKEN.")
            headers["Authorization"] = f"Bearer {self.token}"
        response = self._send(method, url, body, headers)
        # Under pressure: solve the challenge the answer holds and ask again. Twice at most
        # (a solution can expire while it is computed), then the 428 is the answer.
        for _attempt in range(2):
            challenge = _challenge_in(response)
            if challenge is None:
                break
            headers[PROOF_OF_WORK_HEADER] = solve_proof_of_work(challenge)
            response = self._send(method, url, body, headers)
        if response.is_error:
            raise ApiError(response.status_code, _detail(response))
        return response.json() if response.content else None

    def _send(
        self, method: str, url: str, body: Any, headers: dict[str, str], *, raw: bool = False
    ) -> httpx.Response:
        try:
            if raw:
                return self._http.request(method, url, content=body, headers=headers)
            return self._http.request(method, url, json=body, headers=headers)
        except httpx.HTTPError as exc:
            raise ApiError(0, f"Could not reach {url.split('/v1/')[0]}: {exc}") from None

    def _octets(self, method: str, url: str, headers: dict[str, str], body: bytes = b"") -> Any:
        """A request whose body or answer is bytes (an attachment's ciphertext)."""
        response = self._send(method, url, body, headers, raw=True)
        if response.is_error:
            raise ApiError(response.status_code, _detail(response))
        return response

    def _reports(self, org: str, path: str = "") -> str:
        return f"{self.reports_url}/v1/orgs/{org}{path}"

    # --- anyone / the reporter ------------------------------------------------------

    def vcp_keys(self, org: str) -> list[dict[str, Any]]:
        keys: list[dict[str, Any]] = self._call("GET", self._reports(org, "/vcp-keys"))
        return keys

    def submit_report(self, org: str, submission: dict[str, Any]) -> dict[str, Any]:
        answer: dict[str, Any] = self._call(
            "POST", f"{self.intake_url}/v1/orgs/{org}/reports", body=submission
        )
        return answer

    def open_mailbox(self, org: str, secret: str) -> dict[str, Any]:
        answer: dict[str, Any] = self._call(
            "POST", self._reports(org, "/mailbox"), body={"secret": secret}
        )
        return answer

    def post_reporter_message(
        self, org: str, secret: str, message_id: str, envelope: dict[str, Any]
    ) -> None:
        self._call(
            "POST",
            self._reports(org, "/mailbox/messages"),
            body={"secret": secret, "message_id": message_id, "envelope": envelope},
        )

    def reserve_attachment(self, org: str, report_id: str, size: int) -> dict[str, Any]:
        """Reserve an attachment of `size` bytes of ciphertext for a report not yet sent."""
        answer: dict[str, Any] = self._call(
            "POST", self._reports(org, "/attachments"), body={"report_id": report_id, "size": size}
        )
        return answer

    def upload_piece(
        self, org: str, attachment_id: str, upload_secret: str, piece: int, data: bytes
    ) -> dict[str, Any]:
        response = self._octets(
            "PUT",
            self._reports(org, f"/attachments/{attachment_id}/pieces/{piece}"),
            {"X-SafeHands-Upload": upload_secret, "Content-Type": "application/octet-stream"},
            data,
        )
        answer: dict[str, Any] = response.json()
        return answer

    def download_mailbox_attachment(self, org: str, secret: str, attachment_id: str) -> bytes:
        """A file of the reporter's case (a VCP's reply's), by the mailbox secret."""
        response = self._octets(
            "POST",
            self._reports(org, f"/mailbox/attachments/{attachment_id}"),
            {"Content-Type": "application/json"},
            json.dumps({"secret": secret}).encode(),
        )
        return bytes(response.content)

    # --- a VCP ------------------------------------------------------------------------

    def reserve_reply_attachment(
        self, org: str, report_id: str, message_id: str, size: int
    ) -> dict[str, Any]:
        """Reserve an attachment for a reply not yet posted (the VCP's token)."""
        answer: dict[str, Any] = self._call(
            "POST",
            self._reports(org, f"/reports/{report_id}/attachments"),
            body={"message_id": message_id, "size": size},
            authenticated=True,
        )
        return answer

    def download_attachment(self, org: str, report_id: str, attachment_id: str) -> bytes:
        if not self.token:
            raise ApiError(401, "A token is needed: pass --token or set SH_TOKEN.")
        response = self._octets(
            "GET",
            self._reports(org, f"/reports/{report_id}/attachments/{attachment_id}"),
            {"Authorization": f"Bearer {self.token}"},
        )
        return bytes(response.content)

    def register_public_key(
        self, org: str, vcp_id: str, public_key: dict[str, Any], signing_key: str | None = None
    ) -> dict[str, Any]:
        """Register one's own key (the token must be that VCP's own)."""
        body: dict[str, Any] = {"public_key": public_key}
        if signing_key is not None:
            body["signing_key"] = signing_key
        answer: dict[str, Any] = self._call(
            "PUT",
            self._reports(org, f"/vcps/{vcp_id}/public-key"),
            body=body,
            authenticated=True,
        )
        return answer

    def list_reports(self, org: str) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = self._call(
            "GET", self._reports(org, "/reports"), authenticated=True
        )
        return rows

    def get_report(self, org: str, report_id: str) -> dict[str, Any]:
        report: dict[str, Any] = self._call(
            "GET", self._reports(org, f"/reports/{report_id}"), authenticated=True
        )
        return report

    def post_vcp_message(
        self,
        org: str,
        report_id: str,
        message_id: str,
        envelope: dict[str, Any],
        signature: str | None = None,
    ) -> None:
        body: dict[str, Any] = {"message_id": message_id, "envelope": envelope}
        if signature is not None:
            body["signature"] = signature
        self._call(
            "POST",
            self._reports(org, f"/reports/{report_id}/messages"),
            body=body,
            authenticated=True,
        )

    def change_status(self, org: str, report_id: str, status: str) -> dict[str, Any]:
        answer: dict[str, Any] = self._call(
            "POST",
            self._reports(org, f"/reports/{report_id}/status"),
            body={"status": status},
            authenticated=True,
        )
        return answer

    def share_keys(self, org: str, report_id: str, share: dict[str, Any]) -> dict[str, Any]:
        answer: dict[str, Any] = self._call(
            "POST",
            self._reports(org, f"/reports/{report_id}/keys"),
            body=share,
            authenticated=True,
        )
        return answer


def vcp_public_keys(api: ReportingApi, org: str) -> list[PublicKey]:
    """The organisation's VCP keys, which every report and every message is sealed to."""
    keys = [PublicKey.model_validate(k["public_key"]) for k in api.vcp_keys(org)]
    if not keys:
        raise ReportingError(
            f"Organisation {org} has no confidential contact person (VCP) yet, "
            "so nobody could read a report."
        )
    return keys


def chosen_vcp_keys(api: ReportingApi, org: str, vcp_ids: Sequence[str]) -> list[PublicKey]:
    """The keys of the VCPs a reporter chose (`--to`), every VCP key when none is named.
    The reporter may leave a VCP out, one close to the person they write about, say."""
    listed = api.vcp_keys(org)
    if not vcp_ids:
        return vcp_public_keys(api, org)
    known = {k["vcp_id"]: k for k in listed}
    unknown = [v for v in vcp_ids if v not in known]
    if unknown:
        names = ", ".join(sorted(known)) or "none"
        raise ReportingError(
            f"Organisation {org} has no VCP with a key called {unknown[0]} (its VCPs: {names})."
        )
    return [PublicKey.model_validate(known[v]["public_key"]) for v in dict.fromkeys(vcp_ids)]


def case_public_keys(
    api: ReportingApi, org: str, case_keys: Sequence[str] | None
) -> list[PublicKey]:
    """The keys of the VCPs in a case (`case_keys` of the case or mailbox answer), which its
    conversation is sealed to; every VCP key from a server that does not say."""
    if case_keys is None:
        return vcp_public_keys(api, org)
    wanted = set(case_keys)
    keys = [
        PublicKey.model_validate(k["public_key"])
        for k in api.vcp_keys(org)
        if k["fingerprint"] in wanted
    ]
    if not keys:
        raise ReportingError("No VCP of this case has a current key to write to.")
    return keys
