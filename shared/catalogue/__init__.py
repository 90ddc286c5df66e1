"""The event catalogue for integrators: AsyncAPI 3.0 and one JSON Schema per event type,
generated from the event registry, served by every service and written by `make docs`."""

from shared.catalogue.asyncapi import asyncapi_document
from shared.catalogue.json_schemas import event_schema

__all__ = ["asyncapi_document", "event_schema"]
