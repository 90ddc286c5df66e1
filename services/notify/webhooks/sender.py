"""One webhook attempt over HTTP: to the address that was vetted, within one deadline.

- **Vetted address.** The host is resolved once and vetted (`vet_target`), and the request
  goes to that address, with the name kept in the Host header and as the TLS server name
  (SNI, also what the certificate is checked against). The HTTP client never resolves the
  name itself, so a DNS answer that changes between check and connect (rebinding) cannot
  aim a delivery at the platform's own network.
- **One deadline for the whole attempt** — resolving, connecting, sending, and reading the
  status line and headers. httpx's timeout bounds each read only, so a receiver that
  trickles a byte at a time could hold an attempt (and its worker slot) for hours, and past
  the claim lease another instance would post the delivery again.
- **A plain outcome** (`domain/attempt_outcomes.py`): "refused", "timed out" or "status N".
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass

import httpx

from services.notify.domain.attempt_outcomes import REFUSED, TIMED_OUT, status_error
from services.notify.domain.webhook_targets import (
    Resolver,
    UnsafeWebhookTarget,
    resolve_host_addresses,
    vet_target,
)
from shared.logs import get_logger

log = get_logger(__name__)


@dataclass(frozen=True)
class AttemptOutcome:
    status_code: int | None
    # None when delivered; otherwise what the admin is shown: REFUSED, TIMED_OUT or "status N".
    error: str | None


class WebhookSender:
    def __init__(
        self,
        *,
        allow_private_networks: bool,
        deadline_seconds: float,
        resolve: Resolver = resolve_host_addresses,
    ) -> None:
        self._allow_private = allow_private_networks
        self._deadline = deadline_seconds
        self._resolve = resolve
        self._client = httpx.AsyncClient(
            timeout=deadline_seconds,
            # A redirect could lead past the target check.
            follow_redirects=False,
            # A proxy from the environment would resolve the name itself.
            trust_env=False,
            # No connection is reused: one made for another name at the same address (a
            # shared host, a CDN) must not carry this delivery past its own TLS check.
            limits=httpx.Limits(max_keepalive_connections=0),
        )

    async def send(
        self, url: str, body: bytes, headers: Mapping[str, str], delivery_id: str
    ) -> AttemptOutcome:
        try:
            async with asyncio.timeout(self._deadline):
                code = await self._post(url, body, headers)
        except (TimeoutError, httpx.TimeoutException):
            return AttemptOutcome(None, TIMED_OUT)
        except UnsafeWebhookTarget as exc:
            log.info("webhook target refused", delivery_id=delivery_id, reason=exc.reason)
            return AttemptOutcome(None, REFUSED)
        except (httpx.HTTPError, OSError) as exc:
            log.info(
                "webhook attempt failed", delivery_id=delivery_id, error=f"{type(exc).__name__}"
            )
            return AttemptOutcome(None, REFUSED)
        return AttemptOutcome(code, status_error(code))

    async def _post(self, url: str, body: bytes, headers: Mapping[str, str]) -> int:
        # Again before each attempt: what a name resolves to can change.
        target = await asyncio.to_thread(vet_target, url, self._allow_private, self._resolve)
        extensions = {"sni_hostname": target.host} if target.url.scheme == "https" else {}
        unreachable: httpx.ConnectError | None = None
        for address in target.addresses:
            request = self._client.build_request(
                "POST",
                target.url.copy_with(host=str(address)),
                content=body,
                headers={**headers, "host": target.url.netloc.decode("ascii")},
                extensions=extensions,
            )
            try:
                # Streamed: the status is all we need; the receiver's body is never read.
                answer = await self._client.send(request, stream=True)
            except httpx.ConnectError as exc:
                # Nothing was sent to this address: the next vetted one may answer.
                unreachable = exc
                continue
            await answer.aclose()
            return answer.status_code
        if unreachable is None:
            raise UnsafeWebhookTarget("The webhook host has no addresses.")
        raise unreachable

    async def aclose(self) -> None:
        await self._client.aclose()
