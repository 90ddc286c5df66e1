"""Topic names and their creation at start-up (brokers may not auto-create)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError
from faststream.security import BaseSecurity, SASLScram256, SASLScram512

DLQ_SUFFIX = ".dlq"


@dataclass(frozen=True)
class KafkaLogin:
    """A service's Kafka user (SASL/SCRAM): its ACLs allow only its own topics and groups."""

    username: str
    password: str
    mechanism: Literal["SCRAM-SHA-256", "SCRAM-SHA-512"] = "SCRAM-SHA-512"

    def faststream(self) -> BaseSecurity:
        scram = SASLScram512 if self.mechanism == "SCRAM-SHA-512" else SASLScram256
        return scram(self.username, self.password, use_ssl=False)

    def aiokafka(self) -> dict[str, Any]:
        return {
            "security_protocol": "SASL_PLAINTEXT",
            "sasl_mechanism": self.mechanism,
            "sasl_plain_username": self.username,
            "sasl_plain_password": self.password,
        }


def dead_letter_topic(topic: str) -> str:
    return topic + DLQ_SUFFIX


async def ensure_topics(
    bootstrap_servers: str,
    topics: Iterable[str],
    partitions: int,
    login: KafkaLogin | None = None,
) -> None:
    admin = AIOKafkaAdminClient(
        bootstrap_servers=bootstrap_servers,
        request_timeout_ms=5000,
        **(login.aiokafka() if login else {}),
    )
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = sorted(set(topics) - existing)
        if missing:
            # Another instance may create them first.
            with contextlib.suppress(TopicAlreadyExistsError):
                await admin.create_topics(
                    [
                        NewTopic(name, num_partitions=partitions, replication_factor=1)
                        for name in missing
                    ]
                )
    finally:
        await admin.close()
