"""`safehands backup` and `safehands restore`: a platform with reports, admissions and audit
entries, backed up into one age-encrypted archive, restored into a fresh platform, where
everything is found again and a VCP's key file still opens the restored reports."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pyrage
import pytest
from pymongo import MongoClient

from cli import report as reporter
from cli import vcp as vcp_cli
from cli.backup import BackupError, generate_identity, restore_backup, write_backup
from cli.reporting_client import ReportingApi
from cli.services import SERVICE_NAMES
from shared.audit.log import AUDIT_LOG
from shared.crypto import KdfParams, ReportBody, load_private_key
from shared.events.admission import VolunteerApplied
from tests.support.admission import Organisation
from tests.support.platform import Infrastructure, Platform, bearer, eventually
from tests.support.vcps import appoint_vcp

pytestmark = pytest.mark.e2e

LIGHT_KDF = KdfParams(memory_cost=1024, iterations=1, lanes=1)
ROLE = {"title": "Jeugdleider", "works_with_minors": True, "works_with_vulnerable": False}
BODY = ReportBody(
    category="sexual_intimidation",
    description="De trainer maakte opmerkingen over mijn lichaam na de training.",
    occurred_on="2026-03-14",  # type: ignore[arg-type]
    wants_contact=False,
)


def contents(client: MongoClient[Any], prefix: str) -> dict[str, dict[str, set[Any]]]:
    """Every document id of every collection of every service's database."""
    found: dict[str, dict[str, set[Any]]] = {}
    for service in SERVICE_NAMES:
        database = client[f"{prefix}_{service}"]
        found[service] = {
            name: {d["_id"] for d in database[name].find({}, {"_id": 1})}
            for name in database.list_collection_names()
        }
    return found


def test_a_backup_restores_into_a_fresh_platform_with_everything_readable(
    infra: Infrastructure, tmp_path: Path
) -> None:
    original = Platform(infra)
    try:
        services = original.start_services()
        org = Organisation(infra, services["intake"], services["policy"])
        assert org.register().status_code == 201
        assert org.define_role("coach", ROLE).status_code in (200, 201)
        volunteer = org.apply("coach")
        assert org.interview(volunteer, "proceed").status_code == 201
        expected = {"status": "pending", "missing": ["vog"]}
        admission = eventually(lambda: org.admission(volunteer) == expected, timeout=30)

        key_file = tmp_path / "vera.json"
        vcp_cli.keygen(key_file, "correct horse battery", params=LIGHT_KDF)
        vera = load_private_key(key_file, "correct horse battery")
        with services["reports"].client() as reports:
            appoint_vcp(
                reports,
                org.id,
                "vera",
                vera,
                admin=org.admin,
                vcp=bearer(infra.token("vcp", org.id, "vera")),
            )

        def submitted() -> str | None:
            api = ReportingApi(services["intake"].url, services["reports"].url)
            try:
                return reporter.submit_report(api, org.id, BODY).report_id
            except Exception:
                return None  # intake learns the VCP's key from an event: eventually

        report_id = eventually(submitted, timeout=30, interval=1)
        vcp_api = ReportingApi(
            services["intake"].url, services["reports"].url, infra.token("vcp", org.id, "vera")
        )
        eventually(lambda: _readable(vcp_api, org.id, report_id, vera), timeout=30)

        # notify stops, so that the next application's event is on the broker, relayed
        # but not consumed by every service when the backup is made.
        notify = next(s for s in original.running if s.name == "notify")
        notify.child.stop()
        late = org.apply("coach")
        eventually(lambda: org.admission(late) is not None, timeout=30)

        recipient = generate_identity(tmp_path / "backup-key.txt")
        archive = write_backup(
            infra.mongo_uri,
            original.database,
            infra.data_dir / "keys",
            recipient,
            kafka_bootstrap=infra.kafka_bootstrap,
            consumer_group_prefix=original.name,
        )
    finally:
        original.stop_all()
    with MongoClient(infra.mongo_uri) as client:
        before = contents(client, original.database)
    assert before["policy"][AUDIT_LOG], "the platform has audit entries"
    assert before["policy"]["admissions"] and before["reports"]["reports"]

    # Nothing readable without the identity: the archive is age-encrypted.
    assert b"sexual_intimidation" not in archive and org.id.encode() not in archive
    with pytest.raises(pyrage.DecryptError):
        pyrage.decrypt(archive, [pyrage.x25519.Identity.generate()])

    restored_dir = tmp_path / "restored"
    fresh = Platform(dataclasses.replace(infra, data_dir=restored_dir))
    other_key = tmp_path / "other-key.txt"
    generate_identity(other_key)
    with pytest.raises(BackupError, match="does not open"):
        restore_backup(archive, other_key, infra.mongo_uri, fresh.database, restored_dir / "keys")
    manifest = restore_backup(
        archive, tmp_path / "backup-key.txt", infra.mongo_uri, fresh.database, restored_dir / "keys"
    )
    assert "outbox" in manifest["broker"]
    assert manifest["unconsumed_events"] >= 1
    with MongoClient(infra.mongo_uri) as client:
        requeued = [
            row
            for service in SERVICE_NAMES
            for row in client[f"{fresh.database}_{service}"]["outbox"].find({})
        ]
    assert len(requeued) >= manifest["unconsumed_events"]
    # Among them the late application, which notify never saw.
    [late_applied] = [
        row["event_id"]
        for row in requeued
        if ["ce_type", VolunteerApplied.type_name.encode()] in row["headers"]
        and late.encode() in row["value"]
    ]
    # A platform that is not empty any more is refused.
    with pytest.raises(BackupError, match="empty platform"):
        restore_backup(
            archive, tmp_path / "backup-key.txt", infra.mongo_uri, fresh.database, tmp_path / "k"
        )
    with MongoClient(infra.mongo_uri) as client:
        after = contents(client, fresh.database)
    # Not in the archive: which instance held which job (none runs after a restore).
    for service in SERVICE_NAMES:
        assert "leases" not in after[service]
        before[service].pop("leases", None)
    # `before` was read after the original platform stopped, so events handled after the
    # backup's moment are in it too: what was restored is all from the original, and the
    # platform's records made before the backup are all there.
    added = {
        (service, name): ids - before[service].get(name, set())
        for service, collections in after.items()
        for name, ids in collections.items()
        if name != "outbox"  # the relays' work: the events not yet consumed, again
    }
    assert {where: ids for where, ids in added.items() if ids} == {}
    for service, name in (
        ("policy", "admissions"),
        ("policy", AUDIT_LOG),
        ("reports", "reports"),
        ("reports", AUDIT_LOG),
        ("reports", "vcps"),
    ):
        assert after[service][name] == before[service][name], (service, name)
    for name in ("jwt_private.pem", "rate_limit_secret"):
        restored = restored_dir / "keys" / name
        assert restored.read_bytes() == (infra.data_dir / "keys" / name).read_bytes()
        assert restored.stat().st_mode & 0o777 == 0o600

    try:
        services = fresh.start_services()
        # The same organisation, admission file and report, on the restored platform.
        restored_org = Organisation(fresh.infra, services["intake"], services["policy"])
        restored_org.id = org.id
        restored_org.admin = bearer(fresh.infra.token("admin", org.id))
        restored_org.coordinator = bearer(fresh.infra.token("coordinator", org.id))
        assert admission and restored_org.admission(volunteer) == expected
        api = ReportingApi(
            services["intake"].url,
            services["reports"].url,
            fresh.infra.token("vcp", org.id, "vera"),
        )
        case = eventually(lambda: _readable(api, org.id, report_id, vera), timeout=30)
        assert case.report == BODY
        # The VCP's key file, unlocked anew, opens it.
        again = load_private_key(key_file, "correct horse battery")
        assert vcp_cli.read_case(api, org.id, report_id, again).report == BODY

        # The events notify had not consumed are published again by the restored relays,
        # and reach it: every one is in notify's inbox, once.
        def notify_has_them() -> bool:
            with MongoClient(infra.mongo_uri) as client:
                database = client[f"{fresh.database}_notify"]
                consumed = [row["event_id"] for row in database["inbox"].find({})]
                outboxes_empty = all(
                    client[f"{fresh.database}_{s}"]["outbox"].count_documents({}) == 0
                    for s in SERVICE_NAMES
                )
            return (
                outboxes_empty and late_applied in consumed and len(consumed) == len(set(consumed))
            )

        eventually(notify_has_them, timeout=60, interval=1)
        # And the restored platform works on: another application is decided.
        restored_org.use_policy(services["policy"])
        second = restored_org.apply("coach")
        eventually(lambda: restored_org.admission(second) is not None, timeout=30)
    finally:
        fresh.stop_all()


def _readable(api: ReportingApi, org: str, report_id: str, key: Any) -> Any:
    try:
        return vcp_cli.read_case(api, org, report_id, key)
    except Exception:
        return None
