"""The canary test: what reporters write never reaches the platform in the clear.

200 reports, each holding a unique canary string, are submitted through HTTP with the
CLI's own code, on a platform whose database keeps its files on disk. Then every message
of every Kafka topic, every document of every collection of every database, the raw bytes
of the database's data folder, every service log and every mail the SMTP sink received
are searched: no canary. Meanwhile the VCP's client decrypts all 200 and finds each.

A few reports carry attachments (issue 24 item 4): a photo with canaries in its EXIF (in
the camera and GPS fields) and a text file with one. reports keeps their ciphertext in an
S3 object store (SeaweedFS, as `safehands up` does) and their bookkeeping in the database:
every object of its bucket and the raw bytes of the store's data folder are searched too,
and the VCP's client opens each file and finds its canary.

Each place searched also holds a known control string (the VCP's name, which is not
confidential), so a search that cannot see plaintext fails instead of passing.
"""

from __future__ import annotations

import dataclasses
import email
import email.policy
import os
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from bson.raw_bson import RawBSONDocument
from pymongo import MongoClient

from cli import attachments
from cli import report as reporter
from cli import vcp as vcp_cli
from cli.embedded import ChildProcess, database_process, free_port, wait_for_port
from cli.reporting_client import ReportingApi
from cli.services import SERVICE_NAMES
from shared.crypto import PrivateKey, ReportBody
from shared.crypto.attachments import decrypt_file
from tests.support.kafka import kafka_blobs
from tests.support.object_store import (
    RunningObjectStore,
    object_bytes,
    object_keys,
    running_object_store,
)
from tests.support.photos import has_gps, photo_with_gps
from tests.support.platform import (
    Infrastructure,
    Platform,
    RunningService,
    eventually,
    wait_until_ready,
)
from tests.support.vcps import appoint_vcp

pytestmark = pytest.mark.e2e

REPORTS = 200
WITH_FILES = 3
RUN = uuid.uuid4().hex[:12]
# Every canary starts with this, so one search per blob finds any of them.
CANARY = f"kanarie-{RUN}-"
CONTROL = f"Controle-{RUN}"
LIMITS = {
    "SAFEHANDS_RATE_LIMIT_PER_CLIENT": "1000",
    "SAFEHANDS_PROOF_OF_WORK_ABOVE_PER_MINUTE": "100000",
}
BUCKET = "canary-attachments"


@dataclasses.dataclass
class DiskPlatform:
    platform: Platform
    database: ChildProcess
    data_dir: Path
    log_dir: Path
    services: dict[str, RunningService]
    objects: RunningObjectStore


@pytest.fixture(scope="module")
async def on_disk(
    infra: Infrastructure, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[DiskPlatform]:
    root = tmp_path_factory.mktemp("canary")
    data_dir, log_dir = root / "mongo-data", root / "logs"
    async with running_object_store(root / "object-store") as objects:
        async for platform in _platform(infra, objects, data_dir, log_dir):
            yield platform


async def _platform(
    infra: Infrastructure, objects: RunningObjectStore, data_dir: Path, log_dir: Path
) -> AsyncIterator[DiskPlatform]:
    database = database_process(free_port(), data_dir, log_dir)
    database.start()
    platform = Platform(
        dataclasses.replace(
            infra,
            mongo_uri=f"mongodb://127.0.0.1:{database.port}/?directConnection=true",
            log_dir=log_dir,
        )
    )
    try:
        wait_for_port(database, timeout=60)
        # Started side by side, then awaited: the test waits for the slowest, not the sum.
        services = {
            name: platform.start(
                name,
                env={**LIMITS, **(objects.attachment_env(BUCKET) if name == "reports" else {})},
                wait=False,
            )
            for name in SERVICE_NAMES
        }
        for service in services.values():
            wait_until_ready(service)
        yield DiskPlatform(platform, database, data_dir, log_dir, services, objects)
    finally:
        platform.stop_all()
        database.stop()


def found_in(blob: bytes | str) -> bool:
    return (CANARY.encode() if isinstance(blob, bytes) else CANARY) in blob


def mail_texts(maildir: Path) -> list[str]:
    """Every mail as received and with its parts decoded (base64, quoted-printable)."""
    texts = []
    for path in sorted(maildir.rglob("*.eml")):
        raw = path.read_bytes()
        message = email.message_from_bytes(raw, policy=email.policy.default)
        parts = [str(value) for value in message.values()]
        for part in message.walk():
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes):
                parts.append(payload.decode(part.get_content_charset() or "utf-8", "replace"))
        texts.append(raw.decode("utf-8", "replace") + "\n".join(parts))
    return texts


async def test_no_canary_reaches_the_platform_while_the_vcp_reads_every_one(
    on_disk: DiskPlatform, infra: Infrastructure
) -> None:
    org = f"org-{uuid.uuid4().hex[:6]}"
    services = on_disk.services
    key = PrivateKey.generate()
    with services["reports"].client() as http:
        appoint_vcp(
            http,
            org,
            "vera",
            key,
            admin={"Authorization": f"Bearer {infra.token('admin', org)}"},
            vcp={"Authorization": f"Bearer {infra.token('vcp', org, 'vera')}"},
            name=CONTROL,
            email="vera@example.org",
        )
    intake_db = f"{on_disk.platform.database}_intake"
    with MongoClient(on_disk.platform.infra.mongo_uri) as mongo:
        eventually(lambda: mongo[intake_db]["known_vcp_keys"].find_one({"org_id": org}), 30)

    urls = (services["intake"].url, services["reports"].url)

    def submit(i: int, anonymous: ReportingApi) -> tuple[str, str, str]:
        canary = f"{CANARY}{i:03d}"
        body = ReportBody(
            category="other",
            description=f"Wat er gebeurde: {canary}. Niemand anders mag dit lezen.",
            location=f"Kantine ({canary})",
            wants_contact=i % 2 == 0,
            contact=f"bel {canary}" if i % 2 == 0 else None,
        )
        files = (
            [
                attachments.LocalFile("foto.jpg", "image/jpeg", photo_with_gps(canary)),
                attachments.LocalFile("chat.txt", "text/plain", f"Hij: {canary}".encode()),
            ]
            if i < WITH_FILES
            else []
        )
        submission = reporter.submit_report(anonymous, org, body, attach=files)
        return submission.report_id, canary, submission.receipt

    with ReportingApi(*urls) as anonymous:
        submitted = [submit(i, anonymous) for i in range(REPORTS)]
    canaries = {report_id: canary for report_id, canary, _ in submitted}
    receipts = {report_id: receipt for report_id, _, receipt in submitted}

    with ReportingApi(*urls, token=infra.token("vcp", org, "vera")) as api:
        eventually(lambda: len(api.list_reports(org)) == REPORTS, timeout=60)
        # A conversation on a few of them: the messages carry canaries as well.
        for report_id in list(canaries)[:3]:
            vcp_cli.reply(api, org, report_id, f"Antwoord {canaries[report_id]}-vcp", key)
            with ReportingApi(*urls) as anonymous:
                reporter.reply_as_reporter(
                    anonymous, org, receipts[report_id], f"Reactie {canaries[report_id]}-melder"
                )
        read: dict[str, str] = {}
        opened_files = 0
        for row in api.list_reports(org):
            case = vcp_cli.read_case(api, org, row["report_id"], key)
            assert case.report is not None
            read[row["report_id"]] = case.report.description
            canary = canaries[row["report_id"]]
            for ref in case.report.attachments or ():
                data = decrypt_file(
                    api.download_attachment(org, row["report_id"], str(ref.attachment_id)), ref
                )
                # As sent from the command line: the photo's metadata is the reporter's to
                # remove (the web page does), and it travels encrypted like the rest.
                assert canary.encode() in data
                assert ref.media_type != "image/jpeg" or has_gps(data)
                opened_files += 1
            for message in case.messages:
                assert message.text is not None and canaries[row["report_id"]] in message.text
    assert len(read) == REPORTS
    assert opened_files == 2 * WITH_FILES
    assert all(canaries[report_id] in text for report_id, text in read.items())

    # notify mails the VCP about each new report; wait for one before searching the mails.
    eventually(lambda: any(r in text for text in mail_texts(infra.maildir) for r in canaries), 60)

    kafka = await kafka_blobs(infra.kafka_bootstrap)
    assert any(CONTROL.encode() in blob for blob in kafka), "control: VCPAppointed is on Kafka"
    assert not [blob[:200] for blob in kafka if found_in(blob)]

    with MongoClient(on_disk.platform.infra.mongo_uri, document_class=RawBSONDocument) as mongo:
        documents = [
            doc.raw
            for name in mongo.list_database_names()
            for collection in mongo[name].list_collection_names()
            for doc in mongo[name][collection].find()
        ]
    assert any(CONTROL.encode() in doc for doc in documents), "control: the VCP's document"
    assert not [doc[:200] for doc in documents if found_in(doc)]

    # The files' ciphertext is in the object store, piece by piece; the database names the
    # objects and holds no bytes of them. The control object (random bytes, so the store
    # keeps it as it is and does not compress it) shows the searches can see plaintext.
    bucket = on_disk.objects.attachments(BUCKET)
    try:
        client = await bucket.client()
        await client.put_object(
            Bucket=BUCKET, Key="control", Body=CONTROL.encode() + os.urandom(4096)
        )
        pieces = [key for key in await object_keys(bucket) if key != "control"]
        assert len(pieces) >= 2 * WITH_FILES, pieces
        stored_objects = await object_bytes(bucket)
    finally:
        await bucket.close()
    assert any(CONTROL.encode() in blob for blob in stored_objects), "control: an object"
    assert not [blob[:200] for blob in stored_objects if found_in(blob)]
    reports_db = f"{on_disk.platform.database}_reports"
    with MongoClient(on_disk.platform.infra.mongo_uri) as mongo:
        chunks = list(mongo[reports_db]["attachment_chunks"].find())
    assert len(chunks) == len(pieces)
    assert all("object" in chunk and "data" not in chunk for chunk in chunks)

    # Logs are complete and the data folder quiet only once everything has stopped.
    on_disk.platform.stop_all()
    on_disk.database.stop()
    on_disk.objects.child.stop()
    for folder in (on_disk.data_dir, on_disk.objects.data_dir):
        stored = [p.read_bytes() for p in folder.rglob("*") if p.is_file()]
        assert any(CONTROL.encode() in blob for blob in stored), f"control: the files of {folder}"
        assert not [blob[:200] for blob in stored if found_in(blob)], folder

    object_store_logs = on_disk.objects.child.log_path.parent
    logs = [
        p for d in (on_disk.log_dir, infra.log_dir, object_store_logs) for p in d.rglob("*.log")
    ]
    assert any("reports" in p.name and b"service ready" in p.read_bytes() for p in logs)
    assert not [str(p) for p in logs if found_in(p.read_bytes())]

    mails = mail_texts(infra.maildir)
    assert mails
    assert not [text[:300] for text in mails if found_in(text)]
