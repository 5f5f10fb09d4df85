"""Imports run one way: engine <- bench, demo; simulator <- bench, demo; nothing back.

The simulator depends on neither the benchmark nor the engine; the engine knows no Home Assistant;
the benchmark and the demo use the engine only through its public package (the names its
``__init__`` exports). No module edits ``sys.path`` or loads a module from a file path: packages
are imported as packages (``scripts/setup`` installs the simulator into each lane).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pytest

from custom_components.zero_cold_water import engine

ROOT = Path(__file__).resolve().parents[1]
ENGINE = "custom_components.zero_cold_water.engine"
INTEGRATION = "custom_components.zero_cold_water"
SOURCES = ("simulator", "bench", "demo", "custom_components", "tests")
LOADERS = {"spec_from_file_location", "module_from_spec", "SourceFileLoader", "run_path"}


@dataclass(frozen=True, slots=True)
class Layer:
    """The modules under ``folder`` may import none of ``forbidden`` (dotted prefixes)."""

    folder: str
    forbidden: tuple[str, ...]
    integration: Literal["any", "engine", "public"] = "any"
    """What of ``custom_components`` it may import: anything; the engine's modules only; or only
    the engine's public package (the names its ``__init__`` exports)."""
    exempt: tuple[str, ...] = ()
    """Files of the folder (relative to the root) that the rules do not cover."""


LAYERS = (
    Layer("simulator", ("bench", "demo", "tests", "custom_components", "homeassistant")),
    Layer(
        "custom_components/zero_cold_water/engine",
        ("bench", "demo", "tests", "simulator", "homeassistant"),
        integration="engine",
    ),
    Layer("bench", ("demo", "tests", "homeassistant"), "public", exempt=("bench/ha.py",)),
    Layer("demo", ("bench", "tests"), "public"),
)
HA_COST_BENCHMARK = Layer("bench/ha.py", ("demo", "tests", "simulator"))
"""``scripts/bench --ha`` measures the integration inside Home Assistant: it may import both."""


def _package(path: Path, root: Path) -> str:
    """The dotted package ``path`` (a module under ``root``) belongs to."""
    return ".".join(path.relative_to(root).parent.parts)


def imports(path: Path, root: Path) -> Iterator[tuple[int, str]]:
    """Each absolute dotted name ``path`` imports (a module, or a module's name), with its line."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = _package(path, root)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            for alias in node.names:
                yield node.lineno, f"{base}.{alias.name}"


def _within(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def violations(layer: Layer, root: Path) -> list[str]:
    """What the files of ``layer`` under ``root`` import against its rules."""
    found = []
    for path in _files(layer, root):
        for line, name in imports(path, root):
            where = f"{path.relative_to(root)}:{line} imports {name}"
            if any(_within(name, p) for p in layer.forbidden) or not _allowed(layer, name):
                found.append(where)
    return found


def _allowed(layer: Layer, name: str) -> bool:
    """Whether ``layer`` may import ``name`` from the integration (anything else: True)."""
    if layer.integration == "any" or not _within(name, "custom_components"):
        return True
    if not _within(name, ENGINE):
        return False
    below = name.removeprefix(ENGINE).removeprefix(".").split(".")[0]
    return layer.integration == "engine" or not below or below in engine.__all__


def _files(layer: Layer, root: Path) -> list[Path]:
    base = root / layer.folder
    paths = [base] if base.is_file() else sorted(base.rglob("*.py"))
    exempt = {root / e for e in layer.exempt}
    return [p for p in paths if p not in exempt and not _demo_state(p, root)]


@pytest.mark.parametrize("layer", [*LAYERS, HA_COST_BENCHMARK], ids=lambda layer: layer.folder)
def test_imports_run_one_way(layer: Layer) -> None:
    assert _files(layer, ROOT)
    assert violations(layer, ROOT) == []


def test_the_rules_catch_a_wrong_import(tmp_path: Path) -> None:
    bench = tmp_path / "bench" / "strategies"
    bench.mkdir(parents=True)
    (bench / "x.py").write_text(
        "from custom_components.zero_cold_water import engine\n"
        "from custom_components.zero_cold_water.engine import Controller\n"
        "from custom_components.zero_cold_water.engine.learning import LOG_KEEP_S\n"
        "from custom_components.zero_cold_water.const import DOMAIN\n"
        "import homeassistant.core\n"
        "from ..strategy import Want\n",
        encoding="utf-8",
    )
    (tmp_path / "simulator").mkdir()
    (tmp_path / "simulator" / "y.py").write_text("from ..bench import runner\n", encoding="utf-8")
    bench_layer, simulator_layer = LAYERS[2], LAYERS[0]
    assert violations(bench_layer, tmp_path) == [
        f"bench/strategies/x.py:3 imports {ENGINE}.learning.LOG_KEEP_S",
        f"bench/strategies/x.py:4 imports {INTEGRATION}.const.DOMAIN",
        "bench/strategies/x.py:5 imports homeassistant.core",
    ]
    assert violations(simulator_layer, tmp_path) == ["simulator/y.py:1 imports bench.runner"]


def _demo_state(path: Path, root: Path) -> bool:
    """Whether ``path`` is Home Assistant's runtime state of ``scripts/develop`` (not our code)."""
    return path.relative_to(root).parts[:2] == ("demo", "config")


def _python_files() -> Iterator[Path]:
    for folder in SOURCES:
        yield from (p for p in sorted((ROOT / folder).rglob("*.py")) if not _demo_state(p, ROOT))


def _edits_path_or_loads_files(node: ast.AST) -> bool:
    if isinstance(node, ast.Attribute):
        sys_path = (
            node.attr == "path" and isinstance(node.value, ast.Name) and node.value.id == "sys"
        )
        return sys_path or node.attr in LOADERS
    if isinstance(node, ast.ImportFrom):
        return any(alias.name in LOADERS for alias in node.names)
    return False


def test_no_sys_path_edits_and_no_loading_by_file_path() -> None:
    found = [
        f"{path.relative_to(ROOT)}:{getattr(node, 'lineno', 0)}"
        for path in _python_files()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if _edits_path_or_loads_files(node)
    ]
    assert found == []
    scripts = [p.name for p in (ROOT / "scripts").iterdir() if "PYTHONPATH" in p.read_text("utf-8")]
    assert scripts == []


def test_the_path_rule_catches_an_edit() -> None:
    tree = ast.parse(
        "import sys\nsys.path.insert(0, 'x')\nfrom importlib.util import spec_from_file_location\n"
    )
    assert sum(_edits_path_or_loads_files(node) for node in ast.walk(tree)) == 2
