"""The audit chain (shared/audit): entries, the hash rule as docs/api.md states it, breaks,
retention's anchor, and who sees which entries."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

from shared.audit.chain import GENESIS, Anchor, first_break, link_all
from shared.audit.log import (
    AUDIT_HEADS,
    AUDIT_INDEXES,
    AUDIT_LOG,
    AUDIT_PENDING,
    PENDING_ORDER,
    drop_before,
    record,
)
from shared.auth.dependencies import ACTING
from shared.auth.tokens import Principal
from shared.runtime.audit import visible_to
from shared.tenants import REGIONAL_CENTRE
from tests.support.fake_unit_of_work import FakeUnitOfWork

AT = datetime(2026, 12, 5, 14, 37, 12, tzinfo=UTC)


def documented_hash(entry: dict[str, Any]) -> str:
    """docs/api.md's rule, written out here without the project's code: SHA-256 (hex) of the
    entry without `hash` as JSON with sorted keys, no whitespace, UTF-8."""
    body = {k: v for k, v in entry.items() if k != "hash"}
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def uow(org: str = "org-1") -> FakeUnitOfWork:
    return FakeUnitOfWork(org, indexes=AUDIT_INDEXES)


async def entries(work: FakeUnitOfWork) -> list[dict[str, Any]]:
    """The chain after the chainer's step (shared/audit/chainer.py, which the fake has not):
    the pending entries linked after the head by `link_all`, the head moved."""
    pending = await work.collection(AUDIT_PENDING).find({}, sort=PENDING_ORDER)
    heads = work.collection(AUDIT_HEADS)
    head = await heads.find_one({})
    tip = {work.org_id: (int(head["seq"]), str(head["hash"]))} if head else {}
    chained, after = link_all(pending, tip)
    for entry in chained:
        await work.collection(AUDIT_LOG).insert_one(dict(entry))
    if chained:
        seq, hash_ = after[work.org_id]
        fields = {"seq": seq, "hash": hash_, "changed_at": chained[-1]["at"]}
        await heads.update_one({}, {"$set": fields}, upsert=True)
        await work.collection(AUDIT_PENDING).delete_many({})
    rows = await work.collection(AUDIT_LOG).find({}, sort=[("seq", 1)], projection={"_id": 0})
    return rows


async def test_entries_chain_by_the_documented_rule_and_keep_the_hour_only() -> None:
    work = uow()
    token = ACTING.set(Principal(sub="ada", org="org-1", roles=frozenset({"coordinator", "admin"})))
    try:
        await record(work, "member.added", "member", "m-1", at=AT)
        await record(work, "code.published", "code", "2", at=AT)
    finally:
        ACTING.reset(token)
    await record(work, "volunteer.decision_recorded", "volunteer", "v-1", at=AT)
    first, second, third = await entries(work)
    assert first == {
        "org_id": "org-1",
        "service": "test",
        "seq": 1,
        "at": "2026-12-05T14:00Z",
        "actor": {"sub": "ada", "role": "admin"},
        "action": "member.added",
        "object": {"type": "member", "id": "m-1"},
        "prev_hash": GENESIS,
        "hash": first["hash"],
    }
    assert third["actor"] == {"sub": "system", "role": "system"}
    previous = "0" * 64
    for entry in (first, second, third):
        assert entry["prev_hash"] == previous
        assert entry["hash"] == documented_hash(entry)
        previous = entry["hash"]
    head = await work.collection(AUDIT_HEADS).find_one({})
    assert head is not None and (head["seq"], head["hash"]) == (3, third["hash"])
    assert first_break([first, second, third], head=(3, third["hash"])) is None


async def test_a_changed_a_missing_and_a_relinked_entry_are_each_named() -> None:
    work = uow()
    for n in range(4):
        await record(work, "role.defined", "role", f"r{n}", at=AT)
    chain = await entries(work)
    changed = [dict(e) for e in chain]
    changed[1]["action"] = "role.removed"
    broken = first_break(changed)
    assert broken is not None and broken.seq == 2 and "changed" in broken.reason
    missing = first_break([chain[0], *chain[2:]])
    assert missing is not None and missing.seq == 2
    cut = first_break(chain[:3], head=(4, chain[3]["hash"]))
    assert cut is not None and cut.seq == 4
    # Recomputing the hash of a changed entry does not help: the next one names it.
    relinked = [dict(e) for e in chain]
    relinked[1]["action"] = "role.removed"
    relinked[1]["hash"] = documented_hash(relinked[1])
    broken = first_break(relinked)
    assert broken is not None and broken.seq == 3


async def test_retention_drops_whole_days_and_the_chain_starts_at_its_anchor() -> None:
    work = uow()
    for day in (1, 1, 2, 3):
        await record(work, "role.defined", "role", "r", at=datetime(2026, 12, day, 9, tzinfo=UTC))
    chain = await entries(work)
    removed = await drop_before(work, datetime(2026, 12, 2, tzinfo=UTC))
    assert removed == 2
    kept = await entries(work)
    head = await work.collection(AUDIT_HEADS).find_one({})
    assert head is not None
    anchor = Anchor(head["anchor_seq"], head["anchor_prev_hash"])
    assert anchor == Anchor(3, chain[1]["hash"])
    assert first_break(kept, anchor, (head["seq"], head["hash"])) is None
    # From genesis the kept chain is broken: the anchor is what makes it whole.
    assert first_break(kept) is not None
    # The newest entry's day is never dropped.
    assert await drop_before(work, datetime(2027, 1, 1, tzinfo=UTC)) == 1
    assert [e["seq"] for e in await entries(work)] == [4]


def test_admins_see_all_vcps_what_concerns_vcps_members_what_concerns_themselves() -> None:
    def entry(action: str, actor: str, obj: str) -> dict[str, Any]:
        return {"org_id": "o", "action": action, "actor": {"sub": actor}, "object": {"id": obj}}

    admin = Principal(sub="a", org="o", roles=frozenset({"admin"}))
    vcp = Principal(sub="v", org="o", roles=frozenset({"vcp"}))
    coordinator = Principal(sub="c", org="o", roles=frozenset({"coordinator"}))
    key_set = entry("vcp.key_set", "w", "w")
    code = entry("code.published", "a", "2")
    removed = entry("member.removed", "a", "c")
    assert all(visible_to(admin, e) for e in (key_set, code, removed))
    assert [visible_to(vcp, e) for e in (key_set, code, removed)] == [True, False, False]
    assert [visible_to(coordinator, e) for e in (key_set, code, removed)] == [False, False, True]
    operator = Principal(sub="op", org=None, roles=frozenset({"operator"}))
    registered = entry("organisation.registered", "op", "o")
    assert [visible_to(operator, e) for e in (registered, code, removed)] == [True, False, False]


def test_operators_see_the_whole_of_the_centres_log_and_only_that() -> None:
    """One operator sees what another changed on the centre's side; in an organisation's
    log only its registration."""

    def entry(org: str, action: str) -> dict[str, Any]:
        return {"org_id": org, "action": action, "actor": {"sub": "op-2"}, "object": {"id": "x"}}

    operator = Principal(sub="op-1", org=None, roles=frozenset({"operator"}))
    centre = [
        entry(REGIONAL_CENTRE, action)
        for action in ("fallback_contacts.changed", "news.withdrawn", "training.registered")
    ]
    assert all(visible_to(operator, e) for e in centre)
    assert not visible_to(operator, entry("o", "news.withdrawn"))
    admin = Principal(sub="a", org="o", roles=frozenset({"admin"}))
    assert not any(visible_to(admin, e) for e in centre)
