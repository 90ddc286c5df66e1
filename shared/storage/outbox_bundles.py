"""Outbox records written in one go are stored as one document: a bundle.

A consumer's batch of 500 events announces hundreds of events in one commit. Stored one row
each, every record cost the database an insert, a read by the relay and a delete, each with
its index entries: on the embedded default (SecantusDB, one Python process) that was about
a quarter of policy's database time on a backlog, for rows that live a fraction of a second
(issue 27, `bench/admission.py`). As one document per commit they cost one of each.

A bundle keeps its records whole and in order, each with the `_id` it would have had as a
row (a record the broker refuses for good is set aside under that id). The bundle's own
`_id` is its first record's, so bundles and single rows leave the outbox in the order they
were written (shared/storage/outbox_ids.py). One record alone stays a plain row, as do rows
written before bundles existed: the relay reads both (`records_in`).

A bundle holds at most `MAX_RECORDS` records and about `MAX_BYTES` of values, far below
MongoDB's 16 MiB document limit, and no more than one relay round sends.
"""

from __future__ import annotations

from collections.abc import Sequence

from shared.storage.tenancy import Document

RECORDS = "records"
MAX_RECORDS = 500
MAX_BYTES = 1 << 20


def bundled(rows: Sequence[Document]) -> list[Document]:
    """`rows` (outbox records in the order written) as the documents to insert: a record
    alone as itself, several as bundles of consecutive records."""
    if len(rows) < 2:
        return list(rows)
    documents: list[Document] = []
    current: list[Document] = []
    size = 0
    for row in rows:
        weight = len(row["value"]) + len(row["key"])
        if current and (len(current) >= MAX_RECORDS or size + weight > MAX_BYTES):
            documents.append(_bundle(current))
            current, size = [], 0
        current.append(row)
        size += weight
    documents.append(_bundle(current))
    return documents


def _bundle(records: list[Document]) -> Document:
    if len(records) == 1:
        return records[0]
    first = records[0]
    return {"_id": first["_id"], RECORDS: records, "created_at": first["created_at"]}


def is_bundle(document: Document) -> bool:
    return isinstance(document.get(RECORDS), list)


def records_in(document: Document) -> list[Document]:
    """The records an outbox document holds, in order: a bundle's, or a row itself."""
    return list(document[RECORDS]) if is_bundle(document) else [document]
