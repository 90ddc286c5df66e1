"""Where a canary must not be: every record of every Kafka topic, every document of every
collection of every database. Each returns raw bytes, so nothing is decoded away."""

from __future__ import annotations

from bson.raw_bson import RawBSONDocument
from pymongo import MongoClient

from tests.support.kafka import kafka_blobs

__all__ = ["database_documents", "kafka_blobs"]


def database_documents(mongo_uri: str) -> list[bytes]:
    """The raw BSON of every document of every collection of every database."""
    with MongoClient(mongo_uri, document_class=RawBSONDocument) as mongo:
        return [
            doc.raw
            for name in mongo.list_database_names()
            for collection in mongo[name].list_collection_names()
            for doc in mongo[name][collection].find()
        ]
