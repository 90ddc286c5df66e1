"""A unit of work without a database, for unit tests of use cases (the cosmicpython book's
`FakeUnitOfWork`, at the level this code base abstracts: collections, not repositories).

It is the real `UnitOfWork` over the real `Transaction`: tenancy (`TenantCollection`), the
outbox and its check of declared events all run as in production. Only the database below
is kept in memory, with the part of MongoDB's query language the use cases speak: equality
on (dotted) fields, through arrays (an array field equals a value it holds, as in MongoDB), `$in`, `$ne`,
`$exists`, `$size`, `$lt`/`$lte`/`$gt`/`$gte`; updates with `$set`, `$setOnInsert`, `$unset`
and `$inc`, upserts, `find_one_and_update`; sort, limit and projection; and the service's
unique indexes, which raise `DuplicateKeyError` as MongoDB does.
`FakeDatabase.platform_collection` stands for the collections no organisation owns. Anything
else raises `NotImplementedError`, so a test never passes on a query the fake misunderstood.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bson import ObjectId
from pymongo import ReturnDocument
from pymongo.errors import DuplicateKeyError

from shared.events import REGISTRY, Event
from shared.events.cloudevents import decode
from shared.storage.database import IndexSpec
from shared.storage.unit_of_work import Transaction, UnitOfWork

Document = dict[str, Any]
_MISSING = object()


def _get(document: Mapping[str, Any], path: str) -> Any:
    value: Any = document
    for part in path.split("."):
        if isinstance(value, list | tuple):
            # As in MongoDB, a path through an array reaches the field in each element.
            value = [v[part] for v in value if isinstance(v, Mapping) and part in v]
            continue
        if not isinstance(value, Mapping) or part not in value:
            return _MISSING
        value = value[part]
    return value


def _set(document: Document, path: str, value: Any) -> None:
    *parents, last = path.split(".")
    for part in parents:
        document = document.setdefault(part, {})
    document[last] = copy.deepcopy(value)


def _unset(document: Document, path: str) -> None:
    *parents, last = path.split(".")
    for part in parents:
        document = document.get(part, {})
    document.pop(last, None)


def _compare(value: Any, condition: Mapping[str, Any]) -> bool:
    for operator, operand in condition.items():
        if operator == "$in":
            ok = value is not _MISSING and (
                value in operand
                or (isinstance(value, list | tuple) and any(v in operand for v in value))
            )
        elif operator == "$ne":
            ok = value != operand
        elif operator == "$exists":
            ok = (value is not _MISSING) == bool(operand)
        elif operator == "$size":
            ok = isinstance(value, list | tuple) and len(value) == operand
        elif operator in ("$lt", "$lte", "$gt", "$gte"):
            if value is _MISSING or value is None:
                ok = False
            else:
                ok = {
                    "$lt": value < operand,
                    "$lte": value <= operand,
                    "$gt": value > operand,
                    "$gte": value >= operand,
                }[operator]
        else:
            raise NotImplementedError(f"the fake database does not know {operator}")
        if not ok:
            return False
    return True


def matches(document: Mapping[str, Any], query: Mapping[str, Any]) -> bool:
    for path, condition in query.items():
        if path.startswith("$"):
            raise NotImplementedError(f"the fake database does not know {path}")
        value = _get(document, path)
        if isinstance(condition, Mapping) and any(key.startswith("$") for key in condition):
            if not _compare(value, condition):
                return False
        elif value is _MISSING or not _equals(value, condition):
            return False
    return True


def _equals(value: Any, condition: Any) -> bool:
    """MongoDB's equality: an array field also matches a value among its elements."""
    if value == condition:
        return True
    return isinstance(value, list) and not isinstance(condition, list) and condition in value


def _project(document: Document, projection: Mapping[str, Any] | None) -> Document:
    if not projection:
        return copy.deepcopy(document)
    included = [key for key, keep in projection.items() if keep and key != "_id"]
    if included:
        found = {"_id": document["_id"]} if projection.get("_id", 1) else {}
        for key in included:
            value = _get(document, key)
            if value is not _MISSING:
                _set(found, key, value)
        return found
    found = copy.deepcopy(document)
    for key in projection:
        _unset(found, key)
    return found


@dataclass(frozen=True)
class InsertResult:
    inserted_id: Any


@dataclass(frozen=True)
class InsertManyResult:
    inserted_ids: list[Any]


@dataclass(frozen=True)
class UpdateResult:
    matched_count: int
    modified_count: int
    upserted_id: Any = None


@dataclass(frozen=True)
class DeleteResult:
    deleted_count: int


class FakeCursor:
    def __init__(self, documents: list[Document], skip: int, limit: int) -> None:
        self._documents = documents
        self._skip = skip
        self._limit = limit

    def sort(self, keys: Sequence[tuple[str, int]]) -> FakeCursor:
        for key, direction in reversed(list(keys)):
            self._documents.sort(
                key=lambda doc, key=key: (_get(doc, key) is _MISSING, _get(doc, key)),
                reverse=direction < 0,
            )
        return self

    async def to_list(self, length: int | None = None) -> list[Document]:
        # As MongoDB: sorted first, then skipped, then limited.
        documents = self._documents[self._skip :]
        documents = documents[: self._limit] if self._limit else documents
        return documents[:length] if length else documents


class FakeCollection:
    def __init__(self, name: str, unique_keys: Sequence[tuple[str, ...]]) -> None:
        self.name = name
        self.documents: list[Document] = []
        self._unique_keys = unique_keys

    def _check_unique(self, candidate: Document, replacing: Document | None = None) -> None:
        for keys in self._unique_keys:
            values = [_get(candidate, key) for key in keys]
            for other in self.documents:
                if other is replacing:
                    continue
                if [_get(other, key) for key in keys] == values:
                    raise DuplicateKeyError(
                        f"E11000 duplicate key error collection: {self.name} {keys}"
                    )

    def _matching(self, query: Mapping[str, Any]) -> list[Document]:
        return [doc for doc in self.documents if matches(doc, query)]

    async def find_one(
        self, query: Mapping[str, Any], *, session: Any = None, projection: Any = None
    ) -> Document | None:
        found = self._matching(query)
        return _project(found[0], projection) if found else None

    def find(
        self,
        query: Mapping[str, Any],
        *,
        projection: Mapping[str, Any] | None = None,
        session: Any = None,
        skip: int = 0,
        limit: int = 0,
    ) -> FakeCursor:
        matching = [_project(doc, projection) for doc in self._matching(query)]
        return FakeCursor(matching, skip, limit)

    async def count_documents(self, query: Mapping[str, Any], *, session: Any = None) -> int:
        return len(self._matching(query))

    async def insert_one(self, document: Mapping[str, Any], *, session: Any = None) -> Any:
        stored = copy.deepcopy(dict(document))
        stored.setdefault("_id", ObjectId())
        self._check_unique(stored)
        self.documents.append(stored)
        return InsertResult(stored["_id"])

    async def insert_many(
        self, documents: Iterable[Mapping[str, Any]], *, session: Any = None
    ) -> Any:
        ids = [(await self.insert_one(document)).inserted_id for document in documents]
        return InsertManyResult(ids)

    def _apply(self, document: Document, update: Mapping[str, Any], inserting: bool) -> Document:
        changed = copy.deepcopy(document)
        for operator, fields in update.items():
            for path, value in fields.items():
                if operator == "$set" or (operator == "$setOnInsert" and inserting):
                    _set(changed, path, value)
                elif operator == "$setOnInsert":
                    continue
                elif operator == "$unset":
                    _unset(changed, path)
                elif operator == "$inc":
                    current = _get(changed, path)
                    _set(changed, path, (0 if current is _MISSING else current) + value)
                else:
                    raise NotImplementedError(f"the fake database does not know {operator}")
        return changed

    def _upserted(self, query: Mapping[str, Any]) -> Document:
        seed: Document = {"_id": ObjectId()}
        for path, condition in query.items():
            if not (isinstance(condition, Mapping) and any(k.startswith("$") for k in condition)):
                _set(seed, path, condition)
        return seed

    async def update_one(
        self,
        query: Mapping[str, Any],
        update: Mapping[str, Any],
        *,
        upsert: bool = False,
        session: Any = None,
    ) -> Any:
        found = self._matching(query)
        if found:
            changed = self._apply(found[0], update, inserting=False)
            self._check_unique(changed, replacing=found[0])
            self.documents[self.documents.index(found[0])] = changed
            return UpdateResult(1, int(changed != found[0]))
        if not upsert:
            return UpdateResult(0, 0)
        created = self._apply(self._upserted(query), update, inserting=True)
        self._check_unique(created)
        self.documents.append(created)
        return UpdateResult(0, 0, created["_id"])

    async def find_one_and_update(
        self,
        query: Mapping[str, Any],
        update: Mapping[str, Any],
        *,
        upsert: bool = False,
        return_document: bool = ReturnDocument.BEFORE,
        projection: Mapping[str, Any] | None = None,
        session: Any = None,
    ) -> Document | None:
        found = self._matching(query)
        if found:
            before = found[0]
            changed = self._apply(before, update, inserting=False)
            self._check_unique(changed, replacing=before)
            self.documents[self.documents.index(before)] = changed
            answer = changed if return_document == ReturnDocument.AFTER else before
            return _project(answer, projection)
        if not upsert:
            return None
        created = self._apply(self._upserted(query), update, inserting=True)
        self._check_unique(created)
        self.documents.append(created)
        return _project(created, projection) if return_document == ReturnDocument.AFTER else None

    async def update_many(
        self, query: Mapping[str, Any], update: Mapping[str, Any], *, session: Any = None
    ) -> Any:
        found = self._matching(query)
        for document in found:
            changed = self._apply(document, update, inserting=False)
            self._check_unique(changed, replacing=document)
            self.documents[self.documents.index(document)] = changed
        return UpdateResult(len(found), len(found))

    async def replace_one(
        self,
        query: Mapping[str, Any],
        document: Mapping[str, Any],
        *,
        upsert: bool = False,
        session: Any = None,
    ) -> Any:
        found = self._matching(query)
        if found:
            replacement = {"_id": found[0]["_id"], **copy.deepcopy(dict(document))}
            self._check_unique(replacement, replacing=found[0])
            self.documents[self.documents.index(found[0])] = replacement
            return UpdateResult(1, 1)
        if not upsert:
            return UpdateResult(0, 0)
        created = {"_id": ObjectId(), **copy.deepcopy(dict(document))}
        self._check_unique(created)
        self.documents.append(created)
        return UpdateResult(0, 0, created["_id"])

    async def delete_one(self, query: Mapping[str, Any], *, session: Any = None) -> Any:
        found = self._matching(query)
        if found:
            self.documents.remove(found[0])
        return DeleteResult(len(found[:1]))

    async def delete_many(self, query: Mapping[str, Any], *, session: Any = None) -> Any:
        found = self._matching(query)
        for document in found:
            self.documents.remove(document)
        return DeleteResult(len(found))


class FakeDatabase:
    """Collections by name, created on first use, with the unique indexes of `indexes`."""

    def __init__(self, indexes: Iterable[IndexSpec] = ()) -> None:
        self._unique: dict[str, list[tuple[str, ...]]] = {}
        for spec in indexes:
            if spec.unique:
                keys = tuple(key for key, _ in spec.keys)
                self._unique.setdefault(spec.collection, []).append(
                    ("org_id", *keys) if spec.tenant else keys
                )
        self._collections: dict[str, FakeCollection] = {}

    def __getitem__(self, name: str) -> FakeCollection:
        if name not in self._collections:
            self._collections[name] = FakeCollection(name, self._unique.get(name, []))
        return self._collections[name]

    def platform_collection(self, name: str) -> FakeCollection:
        """As `Database.platform_collection`: the same collections, seen by no organisation."""
        return self[name]


class FakeTransaction(Transaction):
    """The real transaction, except that an insert staged for the commit is made at once
    (the fake never commits), with the unique indexes checked as at the commit."""

    def stage_insert(
        self, collection: str, document: Document, if_duplicate: Exception | None = None
    ) -> None:
        stored = copy.deepcopy(document)
        stored.setdefault("_id", ObjectId())
        fake: FakeCollection = self.db[collection]  # type: ignore[assignment]
        try:
            fake._check_unique(stored)
        except DuplicateKeyError:
            if if_duplicate is None:
                raise
            raise if_duplicate from None
        fake.documents.append(stored)

    def require(self, collection: str, query: Document, if_missing: Exception) -> None:
        """Checked at once (the real one checks at commit, with the same outcome)."""
        fake: FakeCollection = self.db[collection]  # type: ignore[assignment]
        if not fake._matching(query):
            raise if_missing


class FakeUnitOfWork(UnitOfWork):
    """`FakeUnitOfWork(indexes=INDEXES, publishes=DEFINITION.publishes)`: a service's unit of
    work for one organisation; `published` lists the events queued in its outbox."""

    def __init__(
        self,
        org_id: str = "org-1",
        *,
        indexes: Iterable[IndexSpec] = (),
        publishes: Iterable[type[Event]] | None = None,
        database: FakeDatabase | None = None,
    ) -> None:
        self.database = database or FakeDatabase(indexes)
        self.publishes = None if publishes is None else frozenset(publishes)
        super().__init__(
            FakeTransaction(self.database, None, "/safehands/test", self.publishes),  # type: ignore[arg-type]
            org_id,
        )

    def for_org(self, org_id: str) -> FakeUnitOfWork:
        """Another organisation's unit of work over the same database."""
        return FakeUnitOfWork(org_id, publishes=self.publishes, database=self.database)

    @property
    def published(self) -> list[Event]:
        """The events queued so far, decoded from their outbox rows as a consumer would."""
        return [
            decode([(name, value) for name, value in row["headers"]], row["value"], REGISTRY).event
            for row in self._tx._outbox
        ]
