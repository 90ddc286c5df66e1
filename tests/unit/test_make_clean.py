"""`make clean` removes what `make install`, `make up` and `make test` create in the
repository, and nothing else (run on a copy of the Makefile in a scratch folder)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

MADE = [
    ".venv/.installed",
    ".venv/bin/python",
    ".venv-tools/bin/checkov",
    "build/kubernetes/province.yaml",
    ".safehands/db/data",
    ".safehands/logs/intake.log",
    ".safehands/keys/jwt_private.pem",
    ".safehands/mail/1.eml",
    "web/dist/index.html",
    "web/node_modules/svelte/package.json",
    "safehands.egg-info/PKG-INFO",
    "services/intake/__pycache__/bootstrap.cpython-311.pyc",
    ".pytest_cache/v/cache/lastfailed",
    ".mypy_cache/3.11/x.json",
    ".ruff_cache/content",
    ".import_linter_cache/graph.data",
    "web/test-results/trace.zip",
    "web/node_modules/.installed",
]
KEPT = ["README.md", "services/intake/bootstrap.py", "web/src/main.ts", "web/package.json"]


def test_make_clean_leaves_only_the_sources(tmp_path: Path) -> None:
    shutil.copy(REPO / "Makefile", tmp_path / "Makefile")
    for name in [*MADE, *KEPT]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    result = subprocess.run(
        ["make", "clean"], cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    left = sorted(str(path.relative_to(tmp_path)) for path in tmp_path.rglob("*") if path.is_file())
    assert left == sorted(["Makefile", *KEPT])
    for top in (".venv", ".safehands", "web/dist", "web/node_modules", "safehands.egg-info"):
        assert not (tmp_path / top).exists(), top
