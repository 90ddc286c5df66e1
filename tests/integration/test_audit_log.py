"""The audit log on the real database: policy's actions chain up in its transactions, the
log is read and exported, the head is published, and `safehands audit verify` holds until
one entry is edited in the database, which it then names. The chain is also recomputed here
from the rule in docs/api.md, without the project's hash function."""

from __future__ import annotations

import asyncio
import csv
import hashlib
import io
import json
import uuid
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

import httpx
from openpyxl import load_workbook
from pymongo import MongoClient
from typer.testing import CliRunner, Result

from cli.main import app
from shared import audit
from shared.audit.chainer import chain_pending
from shared.audit.log import AUDIT_INDEXES, check_chain
from shared.events.admission import OrganisationRegistered
from shared.events.cloudevents import encode
from shared.runtime.audit import (
    CSV_COLUMNS,
    XLSX_TYPE,
    drop_expired_days,
    publish_changed_heads,
)
from tests.integration.test_identity_memberships import code_mailed_to
from tests.support.kafka import produce, read_topic
from tests.support.platform import Infrastructure, Platform, bearer, eventually


def documented_hash(entry: dict[str, Any]) -> str:
    body = {key: value for key, value in entry.items() if key != "hash"}
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def verify(platform: Platform, org: str, monkeypatch: Any) -> Result:
    monkeypatch.setenv("SAFEHANDS_MONGO_URI", platform.infra.mongo_uri)
    monkeypatch.setenv("SAFEHANDS_MONGO_DATABASE", platform.database)
    return CliRunner().invoke(app, ["audit", "verify", "--org", org])


def test_policy_actions_form_a_chain_that_verify_checks_and_names_an_edited_entry(
    platform: Platform, infra: Infrastructure, monkeypatch: Any
) -> None:
    policy = platform.start("policy")
    org = f"org-{uuid.uuid4().hex[:6]}"
    admin = bearer(infra.token("admin", org, sub="ada"))
    coordinator = bearer(infra.token("coordinator", org, sub="cor"))
    with policy.client() as http:
        operator = bearer(infra.token("operator"))
        created = http.post("/v1/orgs", json={"org_id": org, "name": "De Bevers"}, headers=operator)
        assert created.status_code == 201, created.text
        role = {"title": "Trainer", "works_with_minors": True, "works_with_vulnerable": False}
        assert http.put(f"/v1/orgs/{org}/roles/coach", json=role, headers=admin).status_code == 200
        code = http.post(f"/v1/orgs/{org}/codes", json={"text": "Respect."}, headers=admin)
        assert code.status_code == 201, code.text
        exported = http.get(
            f"/v1/orgs/{org}/volunteers",
            params={"state": "admitted", "export": "true"},
            headers=coordinator,
        )
        assert exported.status_code == 200, exported.text

        log = http.get(f"/v1/orgs/{org}/audit", headers=admin)
        assert log.status_code == 200, log.text
        entries = log.json()
        assert [(e["action"], e["actor"], e["object"]) for e in entries] == [
            (
                "organisation.registered",
                {"sub": "test-operator", "role": "operator"},
                {"type": "organisation", "id": org},
            ),
            ("role.defined", {"sub": "ada", "role": "admin"}, {"type": "role", "id": "coach"}),
            ("code.published", {"sub": "ada", "role": "admin"}, {"type": "code", "id": "1"}),
            (
                "volunteers.exported",
                {"sub": "cor", "role": "coordinator"},
                {"type": "volunteer_list", "id": "admitted"},
            ),
        ]
        previous = "0" * 64
        for seq, entry in enumerate(entries, start=1):
            assert (entry["seq"], entry["service"], entry["org_id"]) == (seq, "policy", org)
            assert entry["prev_hash"] == previous
            assert entry["hash"] == documented_hash(entry)
            previous = entry["hash"]

        # Filters; a coordinator sees only what concerns them; CSV.
        only_code = http.get(f"/v1/orgs/{org}/audit", params={"action": "code"}, headers=admin)
        assert [e["seq"] for e in only_code.json()] == [3]
        theirs = http.get(f"/v1/orgs/{org}/audit", headers=coordinator).json()
        assert [e["action"] for e in theirs] == ["volunteers.exported"]
        platform_actions = http.get(f"/v1/orgs/{org}/audit", headers=operator).json()
        assert [e["action"] for e in platform_actions] == ["organisation.registered"]
        exported_csv = http.get(f"/v1/orgs/{org}/audit", params={"format": "csv"}, headers=admin)
        assert exported_csv.headers["content-type"].startswith("text/csv")
        rows = list(csv.DictReader(io.StringIO(exported_csv.text)))
        assert [row["hash"] for row in rows] == [e["hash"] for e in entries]
        workbook = http.get(
            f"/v1/orgs/{org}/audit", params={"format": "xlsx", "action": "code"}, headers=admin
        )
        assert workbook.status_code == 200, workbook.text
        assert workbook.headers["content-type"] == XLSX_TYPE
        assert f'filename="audit-{org}-policy.xlsx"' in workbook.headers["content-disposition"]
        sheet = load_workbook(io.BytesIO(workbook.content)).active
        assert sheet is not None
        header, *cells = [list(row) for row in sheet.iter_rows(values_only=True)]
        assert header == list(CSV_COLUMNS)
        code_entry = entries[2]
        chain = [code_entry["at"], code_entry["prev_hash"], code_entry["hash"]]
        assert cells == [
            ["policy", 3, chain[0], "ada", "admin", "code.published", "code", "1", *chain[1:]]
        ]
        # A coordinator's workbook holds only what concerns them, like their JSON.
        theirs_book = http.get(
            f"/v1/orgs/{org}/audit", params={"format": "xlsx"}, headers=coordinator
        )
        their_sheet = load_workbook(io.BytesIO(theirs_book.content)).active
        assert their_sheet is not None
        assert [r[5] for r in their_sheet.iter_rows(min_row=2, values_only=True)] == [
            "volunteers.exported"
        ]
        assert (
            http.get(f"/v1/orgs/{org}/audit", params={"format": "pdf"}, headers=admin).status_code
            == 422
        )
        # The files' routes of their own (each declares the one type it answers) give the same.
        own_csv = http.get(f"/v1/orgs/{org}/audit.csv", headers=admin)
        assert own_csv.headers["content-type"].startswith("text/csv")
        assert own_csv.text == exported_csv.text
        own_book = http.get(f"/v1/orgs/{org}/audit.xlsx", params={"action": "code"}, headers=admin)
        assert own_book.headers["content-type"] == XLSX_TYPE
        assert f'filename="audit-{org}-policy.xlsx"' in own_book.headers["content-disposition"]
        own_sheet = load_workbook(io.BytesIO(own_book.content)).active
        assert own_sheet is not None
        assert [list(row) for row in own_sheet.iter_rows(min_row=2, values_only=True)] == cells
        assert http.get(f"/v1/orgs/{org}/audit.csv", headers=coordinator).text.count("\r\n") == 2
        # No route changes or deletes an entry.
        assert http.delete(f"/v1/orgs/{org}/audit", headers=admin).status_code == 405

        head = http.post(f"/v1/orgs/{org}/audit/head", headers=admin)
        assert head.status_code == 200, head.text
        assert (head.json()["seq"], head.json()["hash"]) == (4, entries[-1]["hash"])
        assert http.post(f"/v1/orgs/{org}/audit/head", headers=coordinator).status_code == 403

    def heads(records: list[Any]) -> list[dict[str, Any]]:
        return [json.loads(r.value) for r in records if r.key == f"{org}:policy".encode()]

    records = asyncio.run(
        read_topic(infra.kafka_bootstrap, "safehands.audit", until=lambda rs: bool(heads(rs)))
    )
    [event] = heads(records)
    assert (event["seq"], event["hash"], event["anchor_seq"]) == (4, entries[-1]["hash"], 1)
    assert event["anchor_prev_hash"] == "0" * 64

    database = MongoClient(infra.mongo_uri)[f"{platform.database}_policy"]

    whole = verify(platform, org, monkeypatch)
    assert whole.exit_code == 0, whole.output
    assert "policy: whole (4 entries)" in whole.output

    database["audit_log"].update_one({"org_id": org, "seq": 3}, {"$set": {"object.id": "7"}})
    broken = verify(platform, org, monkeypatch)
    assert broken.exit_code == 1, broken.output
    assert "policy: broken at entry 3" in broken.output


async def test_the_hourly_sweep_publishes_each_head_that_moved_once(infra: Infrastructure) -> None:
    async with infra.scratch_database("audit", AUDIT_INDEXES) as database:
        for org in ("org-a", "org-b"):
            await database.transact(org, lambda uow: audit.record(uow, "role.defined", "role", "r"))
        # The service's chainer links them into the chains (and moves the heads).
        assert await chain_pending(database) == 2
        runtime = SimpleNamespace(db=database)

        async def heads() -> list[dict[str, Any]]:
            rows = await database.platform_collection("outbox").find({}).to_list()
            return [json.loads(row["value"]) for row in rows]

        await publish_changed_heads(runtime)  # type: ignore[arg-type]
        assert sorted((h["org_id"], h["seq"]) for h in await heads()) == [
            ("org-a", 1),
            ("org-b", 1),
        ]
        await publish_changed_heads(runtime)  # type: ignore[arg-type]
        assert len(await heads()) == 2
        await database.transact("org-a", lambda uow: audit.record(uow, "role.defined", "role", "r"))
        await chain_pending(database)
        await publish_changed_heads(runtime)  # type: ignore[arg-type]
        assert sorted((h["org_id"], h["seq"]) for h in await heads())[-2:] == [
            ("org-a", 2),
            ("org-b", 1),
        ]
        assert len(await heads()) == 3


async def test_retention_drops_whole_old_days_and_the_next_head_names_the_anchor(
    infra: Infrastructure,
) -> None:
    now = datetime.now(UTC)
    async with infra.scratch_database("audit", AUDIT_INDEXES) as database:
        for days_ago in (40, 40, 10):

            async def append(uow: Any, days_ago: int = days_ago) -> Any:
                return await audit.record(
                    uow, "role.defined", "role", "r", at=now - timedelta(days=days_ago)
                )

            await database.transact("org-r", append)
        assert await chain_pending(database) == 3
        keep_all = SimpleNamespace(db=database, settings=SimpleNamespace(audit_retention_days=0))
        assert await drop_expired_days(keep_all, now) == 0  # type: ignore[arg-type]
        runtime = SimpleNamespace(db=database, settings=SimpleNamespace(audit_retention_days=30))
        assert await drop_expired_days(runtime, now) == 2  # type: ignore[arg-type]
        log = database.tenant_collection("org-r", "audit_log")
        heads = database.tenant_collection("org-r", "audit_heads")
        assert await check_chain(log, heads) is None
        await publish_changed_heads(runtime)  # type: ignore[arg-type]
        [row] = await database.platform_collection("outbox").find({}).to_list()
        head = json.loads(row["value"])
        [kept] = await log.find({})
        assert (head["anchor_seq"], head["anchor_prev_hash"]) == (3, kept["prev_hash"])


async def test_identity_logs_members_invited_signed_in_and_removed_without_addresses(
    platform: Platform, infra: Infrastructure
) -> None:
    identity = platform.start("identity")
    org = f"org-{uuid.uuid4().hex[:6]}"
    cora = f"cora-{org}@example.org"
    record = encode(OrganisationRegistered(org_id=org, name="De Bevers", language="en"), "/t")
    await produce(infra.kafka_bootstrap, record.topic, record.value, record.key, record.headers)
    operator = bearer(infra.token("operator"))
    admin = bearer(infra.token("admin", org, sub="ada"))
    with identity.client() as http:

        def invited() -> httpx.Response | None:
            body = {"email": cora, "name": "Cora", "roles": ["coordinator"]}
            answer = http.post(f"/v1/orgs/{org}/members", json=body, headers=operator)
            return answer if answer.status_code == 201 else None

        member_id = eventually(invited).json()["member_id"]
        code = code_mailed_to(infra, cora)
        assert http.post("/v1/sign-in/exchange", json={"code": code}).status_code == 200
        assert http.delete(f"/v1/orgs/{org}/members/{member_id}", headers=admin).status_code == 204
        entries = http.get(f"/v1/orgs/{org}/audit", headers=admin).json()
    assert [(e["action"], e["actor"], e["object"]["id"]) for e in entries] == [
        ("member.added", {"sub": "test-operator", "role": "operator"}, member_id),
        ("member.signed_in", {"sub": member_id, "role": "coordinator"}, member_id),
        ("member.removed", {"sub": "ada", "role": "admin"}, member_id),
    ]
    assert cora not in json.dumps(entries) and "cora" not in json.dumps(entries).lower()
