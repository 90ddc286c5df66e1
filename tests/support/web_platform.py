"""The platform as people reach it: every service as a process and the gateway in front of
them on one address, serving the built web app (tests/browser/conftest.py's `web_platform`)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import httpx

from cli.embedded import free_port
from shared.auth.tokens import Role
from shared.http.body_limit import DEFAULT_MAX_BODY_BYTES
from tests.support.platform import (
    Infrastructure,
    Platform,
    RunningGateway,
    RunningService,
)

# The operator's address when identity runs (SAFEHANDS_OPERATOR_EMAILS).
OPERATOR_EMAIL = "operator@example.org"


@dataclass
class WebPlatform:
    """One isolated platform (own database, consumer groups) behind its own gateway."""

    platform: Platform
    gateway: RunningGateway
    services: dict[str, RunningService]

    @property
    def url(self) -> str:
        """The one address: `url + "/o/demo/report"`, `url + "/api/intake/…"`."""
        return self.gateway.url

    @property
    def origin(self) -> str:
        return self.gateway.url

    @property
    def infra(self) -> Infrastructure:
        return self.platform.infra

    @property
    def maildir(self) -> Path:
        return self.platform.infra.maildir

    @property
    def database(self) -> str:
        """This platform's MongoDB database name (on `infra.mongo_uri`)."""
        return self.platform.database

    def api(self, service: str) -> httpx.Client:
        """An HTTP client for one service's API through the gateway (`/api/<service>`)."""
        return httpx.Client(base_url=f"{self.url}/api/{service}", timeout=10)

    def token(self, role: Role, org: str | None = None, sub: str | None = None) -> str:
        return self.platform.infra.token(role, org, sub)

    def log_files(self) -> list[Path]:
        """Every log this platform's processes wrote: the services' and the gateway's."""
        root = self.platform.infra.log_dir / self.platform.name
        return sorted(path for path in root.rglob("*.log") if path.is_file())

    def logs_containing(self, secret: str) -> list[Path]:
        wanted = secret.lower()
        return [
            path for path in self.log_files() if wanted in path.read_text(errors="replace").lower()
        ]


def start_web_platform(
    infra: Infrastructure, extra_env: dict[str, str], *, host: str = "127.0.0.1"
) -> WebPlatform:
    """Start every service and the gateway.

    identity starts first and the others verify tokens with its JWKS, as under
    `safehands up`; mails (identity's sign-in links, notify's) link to the gateway's address.
    `extra_env` overrides any of these settings. `host` is the name the platform's address
    uses: `localhost` for passkeys, as WebAuthn takes no IP address as a relying party id
    (the gateway listens on 127.0.0.1 either way)."""
    platform = Platform(infra)
    gateway_port = free_port()
    url = f"http://{host}:{gateway_port}"
    env = {
        "SAFEHANDS_OPERATOR_EMAILS": OPERATOR_EMAIL,
        "SAFEHANDS_WEB_URL": url,
        # Every browser signs in from 127.0.0.1 (the gateway says so in X-Forwarded-For);
        # the per-client limit has its own test.
        "SAFEHANDS_SIGN_IN_LIMIT_PER_CLIENT": "10000",
        **extra_env,
    }
    try:
        services = platform.start_services(identity_env=env, env=env)
        # The services' body limit is the gateway's, as under `safehands up`.
        limit = env.get("SAFEHANDS_HTTP_MAX_BODY_BYTES")
        gateway = platform.start_gateway(
            port=gateway_port,
            max_body_bytes=int(limit) if limit else DEFAULT_MAX_BODY_BYTES,
        )
        gateway.url = url
        return WebPlatform(platform, gateway, services)
    except BaseException:
        platform.stop_all()
        raise
