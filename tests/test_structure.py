"""The HA shell's shape: one job per module, small modules and functions, imports one way.

The shell is custom_components/zero_cold_water/ without engine/ (the engine is held to its own
rules). Imports run from the platforms and services through entity.py and the coordinator to its
parts and the engine, never back: every module has a layer below, and imports only from its own
layer or lower ones (type-checking imports too).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "custom_components" / "zero_cold_water"
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60

LAYERS: dict[str, int] = {
    # What the state of HA's objects means, and config entry data: no coordinator in sight.
    **dict.fromkeys(("const", "compat", "states", "settings", "remotes", "shown"), 0),
    # The coordinator's parts.
    **dict.fromkeys(
        (
            "devices",
            "actuators",
            "storage",
            "issues",
            "inputs",
            "event_queue",
            "errors",
            "reporting",
        ),
        1,
    ),
    "coordinator": 2,
    # What platforms, services and voice share.
    **dict.fromkeys(
        (
            "entity",
            "targets",
            "forms",
            "availability",
            "logbook",
            "places",
            "answers",
            "sentences",
            "voice",
        ),
        3,
    ),
    # What Home Assistant loads: platforms, services, flows, diagnostics, repairs, voice.
    **dict.fromkeys(
        (
            "binary_sensor",
            "button",
            "event",
            "number",
            "select",
            "sensor",
            "switch",
            "valve",
            "services",
            "diagnostics",
            "repairs",
            "config_flow",
            "options_flow",
            "fixture_flow",
            "remote_flow",
            "intent",
            "llm",
            "__init__",
        ),
        4,
    ),
}


def _shell_modules() -> list[Path]:
    return sorted(PACKAGE.glob("*.py"))


def _imported(path: Path) -> set[str]:
    """The shell modules ``path`` imports (the engine package is not one)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.ImportFrom) or node.level != 1:
            continue
        if node.module is None:  # from . import x: a module, or a name of __init__.py
            found.update(
                a.name if (PACKAGE / f"{a.name}.py").exists() else "__init__" for a in node.names
            )
        else:
            found.add(node.module.split(".")[0])
    return found - {"engine"}


@pytest.mark.parametrize("path", _shell_modules(), ids=lambda path: path.name)
def test_module_is_small_and_imports_downward(path: Path) -> None:
    name = path.stem
    assert name in LAYERS, f"{path.name}: give it a layer"
    assert len(path.read_text(encoding="utf-8").splitlines()) <= MAX_MODULE_LINES
    upward = {other for other in _imported(path) if LAYERS[other] > LAYERS[name]}
    assert upward == set(), f"{path.name} imports from a layer above it"


@pytest.mark.parametrize("path", _shell_modules(), ids=lambda path: path.name)
def test_functions_are_short(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    long = [
        f"{node.name}: {node.end_lineno - node.lineno + 1} lines"
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno is not None
        and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES
    ]
    assert long == []


def test_an_upward_import_is_found(tmp_path: Path) -> None:
    """The check sees an import back up, also one made only for type checking."""
    module = tmp_path / "actuators.py"
    module.write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .coordinator import X\n"
    )
    assert _imported(module) == {"coordinator"}
    assert LAYERS["coordinator"] > LAYERS["actuators"]
