"""quality_scale.yaml is honest: every rule marked done passes the checks that can be automated
(tests/quality_scale_checks.py), and each check fails on the defect it looks for."""

from __future__ import annotations

from collections.abc import Callable
import json
from pathlib import Path
import shutil

from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
import pytest

from .conftest import make_entry, setup_entry
from .quality_scale_checks import (
    CHECKS,
    PACKAGE,
    QUALITY_SCALE,
    ROOT,
    RULES,
    check_test_before_setup,
    read_json,
    rule_status,
)


def test_every_rule_has_a_status_and_an_exemption_its_reason() -> None:
    rules = QUALITY_SCALE["rules"]
    assert set(rules) == RULES
    for rule, value in rules.items():
        status = rule_status(rule)
        assert status in {"done", "todo", "exempt"}, rule
        if status == "exempt":
            assert isinstance(value, dict), rule
            assert value.get("comment", "").strip(), f"{rule}: an exemption needs its reason"


@pytest.mark.parametrize("rule", sorted(r for r in CHECKS if rule_status(r) == "done"))
def test_done_rule_passes_its_check(rule: str) -> None:
    assert CHECKS[rule](PACKAGE) == []


def test_test_before_setup_is_exempt_because_setup_never_fails() -> None:
    """The exemption is what the code does: hassfest's check would not pass."""
    assert rule_status("test-before-setup") == "exempt"
    assert check_test_before_setup(PACKAGE) != []


def _drop_json(path: Path, *keys: str) -> None:
    data = read_json(path)
    node: dict[str, object] = data
    for key in keys[:-1]:
        child = node[key]
        assert isinstance(child, dict)
        node = child
    del node[keys[-1]]
    path.write_text(json.dumps(data), encoding="utf-8")


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path.name}: {old!r}"
    path.write_text(text.replace(old, new), encoding="utf-8")


# What breaks each rule, done to a copy of the repository's integration, README and pyproject.
DEFECTS: dict[str, Callable[[Path], None]] = {
    "action-setup": lambda pkg: _replace(
        pkg / "__init__.py",
        "    coordinator = ZeroColdWaterCoordinator(hass, entry)\n",
        "    hass.services.async_register(DOMAIN, 'x', None)\n"
        "    coordinator = ZeroColdWaterCoordinator(hass, entry)\n",
    ),
    "brands": lambda pkg: shutil.rmtree(pkg / "brand"),
    "config-entry-unloading": lambda pkg: _replace(
        pkg / "__init__.py", "def async_unload_entry(", "def unload_entry("
    ),
    "config-flow": lambda pkg: _drop_json(
        pkg / "translations" / "en.json",
        *("issues", "missing_entity", "fix_flow", "step", "init", "data_description", "entity"),
    ),
    "diagnostics": lambda pkg: (pkg / "diagnostics.py").unlink(),
    "docs-examples": lambda pkg: _replace(pkg.parents[1] / "README.md", "## Voice", "## Speech"),
    "exception-translations": lambda pkg: _drop_json(
        pkg / "translations" / "en.json", "exceptions", "no_response"
    ),
    "icon-translations": lambda pkg: _drop_json(pkg / "icons.json", "services", "stop"),
    "parallel-updates": lambda pkg: _replace(pkg / "sensor.py", "PARALLEL_UPDATES = 0", ""),
    "reconfiguration-flow": lambda pkg: _replace(
        pkg / "config_flow.py", "async_step_reconfigure", "async_step_change"
    ),
    "runtime-data": lambda pkg: _replace(
        pkg / "__init__.py",
        "async_remove_entry(hass: HomeAssistant, entry: ZeroColdWaterConfigEntry)",
        "async_remove_entry(hass: HomeAssistant, entry: ConfigEntry)",
    ),
    "strict-typing": lambda pkg: _replace(
        pkg.parents[1] / "pyproject.toml", "strict = true", "strict = false"
    ),
    "unique-config-entry": lambda pkg: _replace(
        pkg / "config_flow.py", "self._async_abort_entries_match(", "print("
    ),
}


@pytest.mark.parametrize("rule", sorted(CHECKS))
def test_check_fails_on_the_defect_it_looks_for(rule: str, tmp_path: Path) -> None:
    pkg = tmp_path / "custom_components" / PACKAGE.name
    shutil.copytree(PACKAGE, pkg, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("README.md", "pyproject.toml"):
        shutil.copy(ROOT / name, tmp_path / name)
    if rule == "test-before-setup":  # the other way round: raising makes it pass
        assert CHECKS[rule](pkg) != []
        _replace(
            pkg / "__init__.py",
            "    await coordinator.async_start()\n",
            "    await coordinator.async_start()\n    raise ConfigEntryNotReady\n",
        )
        assert CHECKS[rule](pkg) == []
        return
    assert CHECKS[rule](pkg) == []
    DEFECTS[rule](pkg)
    assert CHECKS[rule](pkg) != []


@pytest.mark.usefixtures("hardware")
async def test_entities_have_unique_ids_entity_names_and_translations(
    hass: HomeAssistant, entity_registry: er.EntityRegistry
) -> None:
    """entity-unique-id, has-entity-name, entity-translations, read off a set-up installation."""
    assert {rule_status(r) for r in ("entity-unique-id", "has-entity-name")} == {"done"}
    assert rule_status("entity-translations") == "done"
    entry = await setup_entry(hass, make_entry())
    entities = er.async_entries_for_config_entry(entity_registry, entry.entry_id)
    assert len(entities) > 20
    en = read_json(PACKAGE / "translations" / "en.json")["entity"]
    assert isinstance(en, dict)
    for entity in entities:
        assert entity.unique_id, entity.entity_id
        assert entity.has_entity_name, entity.entity_id
        assert hass.states.get(entity.entity_id) is not None, entity.entity_id
        if entity.translation_key is None:  # named by its device class
            assert entity.original_device_class is not None, entity.entity_id
        else:
            assert "name" in en[entity.domain][entity.translation_key], entity.entity_id
