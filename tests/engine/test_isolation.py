"""The engine imports nothing from Home Assistant and loads standalone from its directory."""

from __future__ import annotations

import ast
from pathlib import Path
import subprocess
import sys

from custom_components.zero_cold_water import engine

ENGINE_DIR = Path(engine.__file__).parent
MODULES = sorted(ENGINE_DIR.glob("*.py"))


def test_engine_has_modules() -> None:
    assert {p.name for p in MODULES} >= {"controller.py", "arrival.py", "safety.py", "learning.py"}


def test_only_stdlib_and_relative_imports() -> None:
    allowed = set(sys.stdlib_module_names) | {"__future__"}
    for path in MODULES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                roots = {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom):
                if node.level > 0:
                    continue
                roots = {(node.module or "").split(".")[0]}
            else:
                continue
            assert roots <= allowed, f"{path.name} imports {roots - allowed}"
            assert "homeassistant" not in roots


def test_loads_standalone_with_homeassistant_unimportable(tmp_path: Path) -> None:
    script = f"""
import importlib.util, sys
class Block:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("homeassistant", "custom_components"):
            raise ImportError("blocked: " + name)
        return None
sys.meta_path.insert(0, Block())
spec = importlib.util.spec_from_file_location(
    "zcw_engine", {str(ENGINE_DIR / "__init__.py")!r},
    submodule_search_locations=[{str(ENGINE_DIR)!r}],
)
module = importlib.util.module_from_spec(spec)
sys.modules["zcw_engine"] = module
spec.loader.exec_module(module)
c = module.Controller(module.InstallationSettings(
    topology=module.Topology.DRAIN,
    fixtures=(module.FixtureSettings(name="sink", tap_flow_lpm=8.0),),
))
out = c.handle(module.Startup(), 0.0)
assert out == [module.SetValve(fixture="sink", open=False)], out
assert not any(m.startswith("homeassistant") for m in sys.modules)
print("ok")
"""
    result = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-I", "-c", script],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
