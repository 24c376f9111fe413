"""The packages are layers: a module imports only from its own layer or from layers below it."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

SOURCE = Path(__file__).resolve().parents[1] / "src" / "cruce"

# Lowest first. `engine` knows no immigration law; `cli` and `web` are thin shells over the rest.
LAYERS = [
    "engine",
    "facts",
    "tables",
    "law",
    "decide",
    "audit",
    "population",
    "simulation",
    "web",
    "cli",
]


def imported_packages(path: Path) -> set[str]:
    """The cruce sub-packages a module imports, at any depth of the module (lazy imports too)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
            if node.module == "cruce":
                names = [f"cruce.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        for name in names:
            parts = name.split(".")
            if parts[0] == "cruce" and len(parts) > 1 and parts[1] in LAYERS:
                found.add(parts[1])
    return found


def modules() -> list[Path]:
    return sorted(SOURCE.rglob("*.py"))


def test_every_module_is_in_a_layer():
    top_level = {p.relative_to(SOURCE).parts[0] for p in modules()} - {"__init__.py"}
    assert top_level <= set(LAYERS), f"modules outside any layer: {top_level - set(LAYERS)}"


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(SOURCE)))
def test_imports_point_down_the_layers(path):
    parts = path.relative_to(SOURCE).parts
    if len(parts) == 1:
        return  # cruce/__init__.py imports nothing of its own
    own = LAYERS.index(parts[0])
    upward = {p for p in imported_packages(path) if LAYERS.index(p) > own}
    assert not upward, f"{path.relative_to(SOURCE)} ({parts[0]}) imports upward: {sorted(upward)}"


def test_the_check_sees_an_upward_import(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from cruce.web import api\n    from cruce import cli\n")
    assert imported_packages(module) == {"web", "cli"}


def test_importing_every_module_loads_no_law_or_data():
    """No work at import time: the loaders are lazy, so importing the whole package (the CLI
    and the web app included) reads no timeline, no regime and no data table. (The citation
    registry is read when the law modules are defined: their rules compare against the dated,
    cited numbers of law/parameters/, which are checked against it.)"""
    script = """
import importlib, pathlib, sys
root = pathlib.Path(sys.argv[1])
for path in sorted(root.rglob("*.py")):
    parts = path.relative_to(root.parent).with_suffix("").parts
    importlib.import_module(".".join(p for p in parts if p != "__init__"))
from cruce.facts.case import iso_country_codes
from cruce.law.timeline import actual_timeline, hypotheticals, regimes
from cruce.simulation.data import table
loaded = {f.__name__: f.cache_info().currsize
          for f in (iso_country_codes, actual_timeline, hypotheticals, regimes, table)}
print(loaded)
assert not any(loaded.values()), loaded
"""
    done = subprocess.run(
        [sys.executable, "-c", script, str(SOURCE)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr + done.stdout
