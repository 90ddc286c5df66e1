"""A webhook delivery's body: one CloudEvents 1.0 event in structured mode (JSON format).

The attributes are those of the event on Kafka, so an integrator who reads both can
deduplicate on `id`; the organisation travels in the `tenantid` extension attribute.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

STRUCTURED_CONTENT_TYPE = "application/cloudevents+json"


def structured_event(
    *,
    event_id: str,
    event_type: str,
    source: str,
    time: datetime,
    tenant_id: str,
    data: Mapping[str, Any],
) -> bytes:
    envelope = {
        "specversion": "1.0",
        "id": event_id,
        "type": event_type,
        "source": source,
        "time": time.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        "tenantid": tenant_id,
        "datacontenttype": "application/json",
        "data": dict(data),
    }
    return json.dumps(envelope, separators=(",", ":"), ensure_ascii=False).encode()
