"""Reading a service's audit chain straight from its database in a test.

An audited change writes its entry unchained with the change; the service's chainer links
it into the chain a moment after the commit (shared/audit/chainer.py). A test that reads
`audit_log` itself (not through the log's routes, which wait for that) waits for it too.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from pymongo.database import Database

from shared.audit.log import AUDIT_LOG, AUDIT_PENDING


def chained_entries(
    db: Database[Any], org: str, query: Mapping[str, Any] | None = None, timeout: float = 10
) -> list[dict[str, Any]]:
    """`org`'s entries in `db`'s chain matching `query`, once none of `org` waits to be
    chained; fails after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while db[AUDIT_PENDING].find_one({"org_id": org}) is not None:
        if time.monotonic() > deadline:
            raise AssertionError(f"audit entries of {org} not chained within {timeout} s")
        time.sleep(0.05)
    return list(db[AUDIT_LOG].find({"org_id": org, **(query or {})}, sort=[("seq", 1)]))
