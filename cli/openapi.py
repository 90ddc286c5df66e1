"""The services' OpenAPI documents offline, and the committed list of their operation ids.

    python -m cli.openapi [DIR]          # (`make docs`) write DIR/operation-ids.json and
                                         # DIR/openapi/<service>.json (DIR: docs)
    python -m cli.openapi --check [DIR]  # (`make lint`) fail when they differ from the code

A generated client names its functions after the operation ids (shared/http/openapi.py,
`operation_id`): renaming a route function would rename a third party's call. The list is
committed so that such a change shows in review, and tests/unit/test_operation_ids.py fails
until the list is regenerated on purpose. The documents themselves are committed for the web
app, whose request and answer types are generated from them (web/scripts/api-types.mjs,
web/src/lib/openapi/<service>.d.ts): a changed field then breaks the web's type check.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from cli.services import SERVICE_NAMES, definition_of
from shared.auth.tokens import create_key_pair
from shared.runtime.app import create_app
from shared.settings import load_settings

OPERATION_IDS = "operation-ids.json"
OPENAPI_DIR = "openapi"


def documents() -> Iterator[tuple[str, dict[str, Any]]]:
    """(service, its OpenAPI document) for every service, built without starting any."""
    with tempfile.TemporaryDirectory() as data_dir:
        keys = Path(data_dir) / "keys"
        create_key_pair(keys / "jwt_private.pem", keys / "jwt_public.pem")
        for name in SERVICE_NAMES:
            settings = load_settings(
                service_name=name, data_dir=data_dir, rate_limit_secret="s" * 32
            )
            yield name, create_app(definition_of(name), settings).openapi()


def operations(document: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """("METHOD /path", operation) for every operation of an OpenAPI document."""
    for path, items in document.get("paths", {}).items():
        for method, operation in items.items():
            yield f"{method.upper()} {path}", operation


def operation_ids() -> dict[str, dict[str, str]]:
    """service → "METHOD /path" → operation id, sorted, as docs/operation-ids.json keeps it."""
    return {
        name: dict(
            sorted((route, operation.get("operationId", "")) for route, operation in operations(d))
        )
        for name, d in documents()
    }


def render(ids: dict[str, dict[str, str]]) -> str:
    return json.dumps(ids, indent=2, ensure_ascii=False) + "\n"


def generated() -> dict[str, str]:
    """Relative path → content of every file this module writes."""
    found = dict(documents())
    files = {
        OPERATION_IDS: render(
            {
                name: dict(
                    sorted((route, op.get("operationId", "")) for route, op in operations(d))
                )
                for name, d in found.items()
            }
        )
    }
    for name, document in found.items():
        files[f"{OPENAPI_DIR}/{name}.json"] = render(document)
    return files


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("directory", nargs="?", type=Path, default=Path("docs"))
    parser.add_argument("--check", action="store_true", help="Only compare; exit 1 on a drift.")
    args = parser.parse_args()
    target: Path = args.directory
    files = generated()
    if args.check:
        stale = [
            path
            for path, content in files.items()
            if not (target / path).is_file() or (target / path).read_text("utf-8") != content
        ]
        if stale:
            raise SystemExit(
                f"Out of date with the services' routes: {', '.join(stale)} in {target}."
                " Run `make docs` and commit what it changes."
            )
        print(f"{len(files)} generated files in {target} are current.")
        return
    for path, content in files.items():
        (target / path).parent.mkdir(parents=True, exist_ok=True)
        (target / path).write_text(content, encoding="utf-8")
    print(f"Wrote {', '.join(files)} in {target}.")


if __name__ == "__main__":
    main()
