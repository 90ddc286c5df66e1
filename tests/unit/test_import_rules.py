"""The import rules of pyproject.toml's [tool.importlinter], checked on the code itself:
shared/ imports no service and no command, a service imports no command, services never
import each other, nothing inside shared/ imports in a circle (neither between its
packages nor between the modules of one package), and every service keeps its layers:
bootstrap above routes, handlers and jobs (which do not import each other), above use
cases, above the domain.

The second half shows that the rules bite: each rule, copied from pyproject.toml unchanged,
is run on a small scratch tree that breaks it, and must fail there."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ("intake", "policy", "reports", "notify", "identity")


def import_linter_config() -> dict[str, Any]:
    config: dict[str, Any] = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"][
        "importlinter"
    ]
    return config


def lint_imports(cwd: Path) -> subprocess.CompletedProcess[str]:
    executable = Path(sys.executable).with_name("lint-imports")
    assert executable.exists(), "import-linter is not installed (pip install -e '.[dev]')"
    return subprocess.run(
        [str(executable), "--no-cache", "--no-logo"],
        cwd=cwd,
        env={"PYTHONPATH": str(cwd), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_code_keeps_every_import_rule() -> None:
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout, result.stdout


def test_the_rules_cover_what_the_layout_promises() -> None:
    contracts = {contract["type"]: contract for contract in import_linter_config()["contracts"]}
    assert set(import_linter_config()["root_packages"]) == {"shared", "services", "cli"}
    assert contracts["independence"]["modules"] == ["services.*"]
    assert contracts["acyclic_siblings"]["ancestors"] == ["shared"]
    assert contracts["layers"]["containers"] == [f"services.{name}" for name in SERVICES]


def toml_value(value: Any) -> str:
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    return str(value).lower() if isinstance(value, bool) else str(value)


def scratch_tree(tmp_path: Path, modules: dict[str, str]) -> Path:
    """Packages shared, services (with two services) and cli, plus `modules` (dotted name:
    source), under the project's own import-linter configuration."""
    files = {
        "shared": "",
        "shared.events": "",
        "shared.storage": "",
        "services": "",
        "services.alpha": "",
        "services.beta": "",
        # The five services, with the layers their contract names (empty: they keep it).
        **{f"services.{name}": "" for name in SERVICES},
        **{f"services.{name}.bootstrap": "" for name in SERVICES},
        **{f"services.{name}.domain": "" for name in SERVICES},
        "cli": "",
        **modules,
    }
    for name, source in files.items():
        path = tmp_path.joinpath(*name.split("."))
        if name in {"shared", "services", "cli"} or name.count(".") == 1:
            path.mkdir(parents=True, exist_ok=True)
            path = path / "__init__.py"
        else:
            path = path.with_suffix(".py")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source)
    config = import_linter_config()
    lines = ["[tool.importlinter]", f"root_packages = {toml_value(config['root_packages'])}"]
    for contract in config["contracts"]:
        lines.append("[[tool.importlinter.contracts]]")
        lines.extend(f"{key} = {toml_value(value)}" for key, value in contract.items())
    (tmp_path / "pyproject.toml").write_text("\n".join(lines) + "\n")
    return tmp_path


def test_a_tree_that_keeps_the_rules_passes(tmp_path: Path) -> None:
    tree = scratch_tree(
        tmp_path,
        {
            "shared.storage.database": "import shared.events\n",
            "services.alpha.routes": "import shared.storage.database\n",
            "cli.main": "import services.alpha.routes\n",
        },
    )
    result = lint_imports(tree)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("modules", "broken"),
    [
        (
            {"shared.storage.database": "import services.alpha.routes\n"},
            "shared/ imports no service and no command",
        ),
        ({"shared.storage.database": "import cli.main\n"}, "shared/ imports no service"),
        ({"services.alpha.routes": "import cli.main\n"}, "A service imports no command"),
        (
            {"services.beta.handlers": "from services.alpha import routes\n"},
            "Services never import each other",
        ),
        (
            {
                "shared.storage.database": "import shared.events.base\n",
                "shared.events.base": "import shared.storage.database\n",
            },
            "No import cycle inside shared/",
        ),
        (
            {
                "shared.storage.database": "import shared.storage.tenancy\n",
                "shared.storage.tenancy": (
                    "from typing import TYPE_CHECKING\n"
                    "if TYPE_CHECKING:\n    import shared.storage.database\n"
                ),
            },
            "No import cycle inside shared/",
        ),
        (
            {
                "services.intake.use_cases": "",
                "services.intake.domain": "import services.intake.use_cases\n",
            },
            "Every service keeps its layers",
        ),
        (
            {
                "services.policy.jobs": "",
                "services.policy.event_handlers": "import services.policy.jobs\n",
            },
            "Every service keeps its layers",
        ),
    ],
    ids=[
        "shared-imports-a-service",
        "shared-imports-cli",
        "service-imports-cli",
        "service-imports-another",
        "cycle-between-packages",
        "cycle-between-modules-for-types-only",
        "domain-imports-a-use-case",
        "a-handler-imports-a-job",
    ],
)
def test_each_rule_fails_a_tree_that_breaks_it(
    tmp_path: Path, modules: dict[str, str], broken: str
) -> None:
    tree = scratch_tree(
        tmp_path,
        {
            "services.alpha.routes": "",
            "cli.main": "",
            **modules,
        },
    )
    result = lint_imports(tree)
    assert result.returncode != 0, result.stdout
    broken_section = result.stdout.split("Broken contracts", 1)[-1]
    assert broken in broken_section, result.stdout
