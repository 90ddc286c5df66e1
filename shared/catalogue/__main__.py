"""`python -m shared.catalogue [DIR]` (`make docs`): write the event catalogue to DIR.

DIR/asyncapi.json is the AsyncAPI 3.0 document; DIR/schemas/<type>.json is the JSON Schema
of each event type. Files of event types that no longer exist are removed.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from shared.catalogue.asyncapi import asyncapi_document
from shared.catalogue.json_schemas import event_schema
from shared.events import REGISTRY, EventRegistry


def render(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def catalogue_files(registry: EventRegistry = REGISTRY) -> dict[str, str]:
    """Relative path → content of every file the catalogue consists of."""
    files = {"asyncapi.json": render(asyncapi_document(registry))}
    for event in registry:
        files[f"schemas/{event.type_name}.json"] = render(event_schema(event))
    return files


def write_catalogue(target: Path, registry: EventRegistry = REGISTRY) -> list[Path]:
    files = catalogue_files(registry)
    (target / "schemas").mkdir(parents=True, exist_ok=True)
    for stale in (target / "schemas").glob("*.json"):
        if f"schemas/{stale.name}" not in files:
            stale.unlink()
    written = []
    for relative, content in sorted(files.items()):
        path = target / relative
        path.write_text(content, encoding="utf-8")
        written.append(path)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("directory", nargs="?", type=Path, default=Path("docs"))
    target: Path = parser.parse_args().directory
    written = write_catalogue(target)
    print(f"Wrote {len(written)} files to {target}/ (asyncapi.json and schemas/).")


if __name__ == "__main__":
    main()
