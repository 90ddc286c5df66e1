"""notify on a network where one name rebinds, as an attacker's low-TTL name can:
`rebind.safehands.test` answers a public address and 127.0.0.1 in turn. Nothing here may
reach a public address, so connections to any address that is not loopback are refused, and
each one is written to the file named by REBINDING_CONNECT_LOG: the test reads where
notify tried to connect. Run as `python -m tests.support.rebinding_notify`.
"""

from __future__ import annotations

import ipaddress
import itertools
import os
import socket
import sys
import threading
from typing import Any

from cli.services import serve
from shared.settings import load_settings

REBINDING_NAME = "rebind.safehands.test"
PUBLIC_ANSWER = "93.184.215.14"

_answers = itertools.cycle([PUBLIC_ANSWER, "127.0.0.1"])
_lock = threading.Lock()
_system_getaddrinfo = socket.getaddrinfo
_system_connect = socket.socket.connect


def _getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
    name = host.decode() if isinstance(host, bytes) else host
    if name == REBINDING_NAME:
        with _lock:
            host = next(_answers)
    return _system_getaddrinfo(host, port, *args, **kwargs)


def _connect(self: socket.socket, address: Any) -> None:
    internet = self.family in (socket.AF_INET, socket.AF_INET6)
    if internet and not ipaddress.ip_address(address[0]).is_loopback:
        with _lock, open(os.environ["REBINDING_CONNECT_LOG"], "a") as log:
            log.write(f"{address[0]} {address[1]}\n")
        raise ConnectionRefusedError(111, "Connection refused")
    _system_connect(self, address)


if __name__ == "__main__":
    # On asyncio's own event loop: uvloop (which uvicorn would choose) resolves and connects
    # in libuv's C code, past these two Python functions, so the test could not see where
    # notify connects. What is tested, notify connecting to the address it vetted instead of
    # asking DNS again, does not depend on the loop.
    sys.modules["uvloop"] = None  # type: ignore[assignment]
    socket.getaddrinfo = _getaddrinfo
    socket.socket.connect = _connect  # type: ignore[method-assign]
    serve("notify", load_settings(service_name="notify"))
