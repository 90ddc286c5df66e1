"""Where a canary must not be: every record of every Kafka topic, every document of every
collection of every database. Each returns raw bytes, so nothing is decoded away."""

from __future__ import annotations

from aiokafka import AIOKafkaConsumer, TopicPartition
from bson.raw_bson import RawBSONDocument
from pymongo import MongoClient


async def kafka_blobs(bootstrap: str) -> list[bytes]:
    """Key, headers and value of every record of every topic, from the beginning to now."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    await consumer.start()
    try:
        partitions = [
            TopicPartition(topic, p)
            for topic in await consumer.topics()
            for p in consumer.partitions_for_topic(topic) or ()
        ]
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        end = {tp: o for tp, o in (await consumer.end_offsets(partitions)).items() if o > 0}
        blobs: list[bytes] = []

        async def behind() -> bool:
            for tp, offset in end.items():
                if await consumer.position(tp) < offset:
                    return True
            return False

        while await behind():
            for records in (await consumer.getmany(timeout_ms=500)).values():
                for r in records:
                    headers = b"".join(name.encode() + value for name, value in r.headers)
                    blobs.append((r.key or b"") + headers + (r.value or b""))
        return blobs
    finally:
        await consumer.stop()


def database_documents(mongo_uri: str) -> list[bytes]:
    """The raw BSON of every document of every collection of every database."""
    with MongoClient(mongo_uri, document_class=RawBSONDocument) as mongo:
        return [
            doc.raw
            for name in mongo.list_database_names()
            for collection in mongo[name].list_collection_names()
            for doc in mongo[name][collection].find()
        ]
