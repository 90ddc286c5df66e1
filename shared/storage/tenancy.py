"""Tenant-scoped collections: every query and every document is bound to one organisation.

This is the one place tenancy is enforced in storage. Handlers get a `TenantCollection` and
cannot express a query without `org_id`, nor write a document for another organisation.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.results import DeleteResult, InsertManyResult, InsertOneResult, UpdateResult

Document = dict[str, Any]


class TenancyViolation(RuntimeError):
    """Code tried to read or write outside its organisation: a bug, never user input."""


def scoped_filter(collection: str, org_id: str, query: Mapping[str, Any] | None) -> Document:
    """`query` limited to `org_id`; one that names another organisation is refused."""
    scoped = dict(query or {})
    if scoped.get("org_id", org_id) != org_id:
        raise TenancyViolation(f"query on {collection} names another organisation")
    scoped["org_id"] = org_id
    return scoped


def scoped_document(collection: str, org_id: str, document: Mapping[str, Any]) -> Document:
    """`document` stamped with `org_id`; one for another organisation is refused."""
    if document.get("org_id", org_id) != org_id:
        raise TenancyViolation(f"document for {collection} belongs to another organisation")
    return {**document, "org_id": org_id}


def checked_update(collection: str, update: Mapping[str, Any]) -> Document:
    """`update` as is, unless it would move a document to another organisation."""
    for operator, fields in update.items():
        if isinstance(fields, Mapping) and "org_id" in fields and operator != "$setOnInsert":
            raise TenancyViolation(f"update on {collection} changes org_id")
    return dict(update)


class TenantCollection:
    def __init__(
        self,
        collection: AsyncCollection[Document],
        org_id: str,
        session: AsyncClientSession | None = None,
    ) -> None:
        self._collection = collection
        self.org_id = org_id
        self._session = session

    @property
    def name(self) -> str:
        return self._collection.name

    def _filter(self, query: Mapping[str, Any] | None) -> Document:
        return scoped_filter(self.name, self.org_id, query)

    def _document(self, document: Mapping[str, Any]) -> Document:
        return scoped_document(self.name, self.org_id, document)

    def _update(self, update: Mapping[str, Any]) -> Document:
        return checked_update(self.name, update)

    async def find_one(
        self, query: Mapping[str, Any] | None = None, **kwargs: Any
    ) -> Document | None:
        return await self._collection.find_one(self._filter(query), session=self._session, **kwargs)

    async def find(
        self,
        query: Mapping[str, Any] | None = None,
        *,
        sort: Sequence[tuple[str, int]] | None = None,
        skip: int = 0,
        limit: int = 0,
        projection: Mapping[str, Any] | None = None,
    ) -> list[Document]:
        cursor = self._collection.find(
            self._filter(query),
            projection=projection,
            session=self._session,
            skip=skip,
            limit=limit,
        )
        if sort:
            cursor = cursor.sort(list(sort))
        return await cursor.to_list()

    async def find_highest(
        self, field: str, *, projection: Mapping[str, Any] | None = None
    ) -> Document | None:
        """The document with the highest `field` (the current code: the highest version)."""
        found = await self.find(sort=[(field, -1)], limit=1, projection=projection)
        return found[0] if found else None

    async def count(self, query: Mapping[str, Any] | None = None) -> int:
        return await self._collection.count_documents(self._filter(query), session=self._session)

    async def insert_one(self, document: Mapping[str, Any]) -> InsertOneResult:
        return await self._collection.insert_one(self._document(document), session=self._session)

    async def insert_many(self, documents: Sequence[Mapping[str, Any]]) -> InsertManyResult:
        return await self._collection.insert_many(
            [self._document(d) for d in documents], session=self._session
        )

    async def update_one(
        self, query: Mapping[str, Any], update: Mapping[str, Any], *, upsert: bool = False
    ) -> UpdateResult:
        return await self._collection.update_one(
            self._filter(query), self._update(update), upsert=upsert, session=self._session
        )

    async def update_many(
        self, query: Mapping[str, Any], update: Mapping[str, Any]
    ) -> UpdateResult:
        return await self._collection.update_many(
            self._filter(query), self._update(update), session=self._session
        )

    async def replace_one(
        self, query: Mapping[str, Any], document: Mapping[str, Any], *, upsert: bool = False
    ) -> UpdateResult:
        return await self._collection.replace_one(
            self._filter(query), self._document(document), upsert=upsert, session=self._session
        )

    async def find_one_and_update(
        self, query: Mapping[str, Any], update: Mapping[str, Any], **kwargs: Any
    ) -> Document | None:
        return await self._collection.find_one_and_update(
            self._filter(query), self._update(update), session=self._session, **kwargs
        )

    async def delete_one(self, query: Mapping[str, Any]) -> DeleteResult:
        return await self._collection.delete_one(self._filter(query), session=self._session)

    async def delete_many(self, query: Mapping[str, Any]) -> DeleteResult:
        return await self._collection.delete_many(self._filter(query), session=self._session)

    async def aggregate(self, pipeline: Sequence[Mapping[str, Any]]) -> list[Document]:
        for stage in pipeline:
            if any(
                op in stage for op in ("$lookup", "$unionWith", "$out", "$merge", "$graphLookup")
            ):
                raise TenancyViolation("cross-collection stages cannot be tenant-scoped")
        scoped = [{"$match": {"org_id": self.org_id}}, *pipeline]
        cursor = await self._collection.aggregate(scoped, session=self._session)
        return await cursor.to_list()


class ReadOnly(TypeError):
    """A write through a unit of work that only reads (`ReadingUnitOfWork`): a mistake in the
    code, since such a write would land outside any transaction, and with it any audit
    entry the route meant to record with it. A route that writes runs in `transact`."""


class ReadOnlyTenantCollection(TenantCollection):
    """One organisation's collection for reading only: every write raises ReadOnly."""

    def _refuse(self, *_args: Any, **_kwargs: Any) -> Any:
        raise ReadOnly(f"a read wrote to {self.name}: run the route in transact")

    insert_one = insert_many = update_one = update_many = replace_one = _refuse
    find_one_and_update = delete_one = delete_many = _refuse
    # aggregate stays: the stages that write ($out, $merge) TenantCollection refuses already.
