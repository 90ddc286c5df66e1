"""The one list of services, by name with their default ports, and how one is served as a
process. A service is a folder services/<name>/ whose bootstrap.py holds its DEFINITION, plus
its line here: `safehands up` and `serve`, the gateway, the compose checks and the API
reference's check all read this list."""

from __future__ import annotations

import importlib
import socket
import sys
from dataclasses import dataclass
from types import FrameType

import uvicorn
from uvicorn.main import STARTUP_FAILURE

from shared.logs import configure_logging
from shared.runtime.app import create_app
from shared.runtime.definition import ServiceDefinition
from shared.runtime.runtime import Runtime
from shared.settings import Settings


@dataclass(frozen=True)
class ServiceEntry:
    name: str
    default_port: int


# docs/api.md, "Local ports". identity comes first: the others fetch its keys.
SERVICES = (
    ServiceEntry("identity", 8085),
    ServiceEntry("intake", 8081),
    ServiceEntry("policy", 8082),
    ServiceEntry("reports", 8083),
    ServiceEntry("notify", 8084),
)
SERVICE_NAMES = tuple(service.name for service in SERVICES)


def default_port_of(name: str) -> int:
    return next(service.default_port for service in SERVICES if service.name == name)


def definition_of(name: str) -> ServiceDefinition:
    module = importlib.import_module(f"services.{name}.bootstrap")
    definition: ServiceDefinition = module.DEFINITION
    return definition


def port_is_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


class PortInUse(Exception):
    pass


def serve(name: str, settings: Settings) -> None:
    # Before the service's modules are imported: warnings raised while importing them are
    # logged as JSON like everything after.
    configure_logging(name, settings.log_level)
    serve_definition(definition_of(name), settings, default_port_of(name))


def serve_definition(definition: ServiceDefinition, settings: Settings, default_port: int) -> None:
    name = definition.name
    port = settings.http_port or default_port
    if not port_is_free(settings.http_host, port):
        raise PortInUse(
            f"Port {port} on {settings.http_host} is already in use, so {name} cannot start: "
            f"stop what uses it or set SAFEHANDS_HTTP_PORT."
        )
    app = create_app(definition, settings)
    config = uvicorn.Config(
        app,
        host=settings.http_host,
        port=port,
        log_config=None,
        access_log=False,
        server_header=False,
        # X-Forwarded-For is read by the rate limiter, from SAFEHANDS_TRUSTED_PROXIES only;
        # uvicorn's own handling would believe loopback whatever that setting says.
        proxy_headers=False,
        timeout_graceful_shutdown=10,
        timeout_keep_alive=settings.http_keep_alive_seconds,
    )
    server = StreamsEndingServer(config, app.state.runtime)
    server.run()
    if not server.started:
        sys.exit(STARTUP_FAILURE)


class StreamsEndingServer(uvicorn.Server):
    """uvicorn's server, which on SIGTERM or Ctrl-C also tells the live pages' open streams
    (shared/runtime/live.py) to end: uvicorn waits for every open response before it stops,
    and a stream would otherwise hold the service up for the whole graceful timeout."""

    def __init__(self, config: uvicorn.Config, runtime: Runtime) -> None:
        super().__init__(config)
        self._runtime = runtime

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        self._runtime.closing = True
        super().handle_exit(sig, frame)
