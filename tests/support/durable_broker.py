"""The durable embedded broker for tests: Tansu on SeaweedFS, as `safehands up` runs it by
default, with the database and SMTP sink beside it, and a handle to stop, kill and restart
the broker and its store while services run."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from cli.embedded import (
    ChildProcess,
    broker_process,
    database_process,
    free_port,
    smtp_sink_process,
    wait_for_port,
)
from cli.object_store import local_object_store, object_store_process
from shared.auth.tokens import create_key_pair
from shared.runtime.rate_limit import create_rate_limit_secret
from tests.support.platform import Infrastructure


@dataclass
class DurableBroker:
    store: ChildProcess
    broker: ChildProcess

    def start(self) -> None:
        for child in (self.store, self.broker):
            child.start()
            wait_for_port(child, timeout=60)

    def stop(self) -> None:
        self.broker.stop()
        self.store.stop()

    def kill_broker(self) -> None:
        """SIGKILL: no chance to flush anything."""
        self.broker.kill()

    def restart_broker(self) -> None:
        self.broker.start()
        wait_for_port(self.broker, timeout=60)


@contextlib.contextmanager
def durable_infrastructure(root: Path) -> Iterator[tuple[Infrastructure, DurableBroker]]:
    log_dir = root / "logs"
    data_dir = root / "data"
    store = local_object_store(free_port(), data_dir / "keys")
    durable = DurableBroker(
        object_store_process(store, data_dir / "objects", log_dir),
        broker_process(free_port(), log_dir, store.storage_engine, store.client_env()),
    )
    mongo = database_process(free_port(), data_dir / "db", log_dir)
    smtp = smtp_sink_process(free_port(), root / "mail", log_dir)
    create_key_pair(data_dir / "keys" / "jwt_private.pem", data_dir / "keys" / "jwt_public.pem")
    create_rate_limit_secret(data_dir / "keys" / "rate_limit_secret")
    try:
        durable.start()
        for child in (mongo, smtp):
            child.start()
            wait_for_port(child, timeout=60)
        yield (
            Infrastructure(
                kafka_bootstrap=f"127.0.0.1:{durable.broker.port}",
                mongo_uri=f"mongodb://127.0.0.1:{mongo.port}/?directConnection=true",
                smtp_port=smtp.port,
                maildir=root / "mail",
                data_dir=data_dir,
                log_dir=log_dir,
            ),
            durable,
        )
    finally:
        smtp.stop()
        mongo.stop()
        durable.stop()
