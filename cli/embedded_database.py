"""SecantusDB as the embedded default runs it: its own launcher (`python -m secantus`, the
same arguments), with its TTL sweep off.

Why off: every 60 s the sweep reads every document of each collection with a TTL index while
it holds the database's one storage lock, so every other command of every service waits
meanwhile (0.7 s each minute with 30,000 inbox rows, and an inbox keeps 30 days of events).
Each service expires its own rows instead, through the index in short batches
(shared/storage/expiry.py). Why here: the launcher reads `[storage] ttl_sweep_seconds` from
its configuration file but does not pass it on to the server (SecantusDB 0.7.0b3), so the
server it starts is given the setting directly. tests/integration/test_expiry_sweep.py
fails should a later version start a sweep all the same.
"""

from __future__ import annotations

from typing import Any

from secantus import cli as secantus_cli
from secantus.server import SecantusDBServer


class _WithoutTtlSweep(SecantusDBServer):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **{**kwargs, "ttl_sweep_seconds": 0.0})


def main() -> int:
    secantus_cli.SecantusDBServer = _WithoutTtlSweep
    return secantus_cli.main()


if __name__ == "__main__":
    raise SystemExit(main())
