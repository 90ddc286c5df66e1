"""The gateway answers the app's pages with the app (200) and anything else with 404: its
list of page paths (deploy/Caddyfile, `@page`) must hold every route of the web app's
router (web/src/lib/router.ts), or a new page would answer 404 on a reload."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def gateway_page_paths() -> set[str]:
    caddyfile = (ROOT / "deploy" / "Caddyfile").read_text()
    found = re.search(r"^\s*@page path (.+)$", caddyfile, re.MULTILINE)
    assert found, "deploy/Caddyfile has no @page matcher"
    return set(found.group(1).split())


def router_first_segments() -> set[str]:
    router = (ROOT / "web" / "src" / "lib" / "router.ts").read_text()
    workspaces = re.search(r"WORKSPACES = \[([^\]]*)\]", router)
    assert workspaces
    segments = set(re.findall(r'"([a-z-]+)"', workspaces.group(1)))
    patterns = re.findall(r"\[(?:/\^\\/|new RegExp\(`\^/)([a-z-]*)", router)
    segments |= {pattern for pattern in patterns}
    return segments


def covered(segment: str, paths: set[str]) -> bool:
    if segment == "":
        return "/" in paths
    return f"/{segment}" in paths or f"/{segment}/*" in paths


def test_every_first_segment_of_the_router_is_a_page_at_the_gateway() -> None:
    segments = router_first_segments()
    assert {"", "o", "sign-in", "me", "admin", "vcp", "coordinator", "operator"} <= segments
    paths = gateway_page_paths()
    missing = sorted(s for s in segments if not covered(s, paths))
    assert missing == [], f"add these to deploy/Caddyfile's @page: {missing}"


def test_the_gateway_names_no_page_the_router_does_not_know() -> None:
    segments = router_first_segments()
    extra = sorted(
        path for path in gateway_page_paths() if path.strip("/").split("/")[0] not in segments
    )
    assert extra == [], f"deploy/Caddyfile's @page names paths the app has no page for: {extra}"
