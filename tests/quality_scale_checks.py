"""The quality scale rules whose checks can be automated, each as a function of the integration's
folder (tests/test_quality_scale.py runs them, and shows each fails on the defect it looks for).

The checks of hassfest's core rule validators (script/hassfest/quality_scale_validation in Home
Assistant core; hassfest runs them for core integrations only) are reproduced here, with a few of
this project's own where a rule can be read off the code (translated exceptions, icons, README
sections the comments name).
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator
import json
from pathlib import Path
import re
import tomllib

from homeassistant.const import Platform
import yaml

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "custom_components" / "zero_cold_water"
QUALITY_SCALE = yaml.safe_load((PACKAGE / "quality_scale.yaml").read_text(encoding="utf-8"))
TIERS = {
    "bronze": "action-setup appropriate-polling brands common-modules config-flow "
    "config-flow-test-coverage dependency-transparency docs-actions docs-conditions "
    "docs-high-level-description docs-triggers "
    "docs-installation-instructions docs-removal-instructions entity-event-setup entity-unique-id "
    "has-entity-name runtime-data test-before-configure test-before-setup unique-config-entry",
    "silver": "action-exceptions config-entry-unloading docs-configuration-parameters "
    "docs-installation-parameters entity-unavailable integration-owner log-when-unavailable "
    "parallel-updates reauthentication-flow test-coverage",
    "gold": "devices diagnostics discovery discovery-update-info docs-data-update docs-examples "
    "docs-known-limitations docs-supported-devices docs-supported-functions docs-troubleshooting "
    "docs-use-cases dynamic-devices entity-category entity-device-class "
    "entity-disabled-by-default entity-translations exception-translations icon-translations "
    "reconfiguration-flow repair-issues stale-devices",
    "platinum": "async-dependency inject-websession strict-typing",
}
RULES = {rule for rules in TIERS.values() for rule in rules.split()}
TYPED_ENTRY = re.compile(r"^[A-Za-z]+ConfigEntry$")  # hassfest's runtime_data validator


def rule_status(rule: str) -> str:
    value = QUALITY_SCALE["rules"][rule]
    return str(value["status"] if isinstance(value, dict) else value)


def _parse(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def read_json(path: Path) -> dict[str, object]:
    data: dict[str, object] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _module_function(module: ast.Module, name: str) -> ast.AsyncFunctionDef | None:
    return next(
        (n for n in module.body if isinstance(n, ast.AsyncFunctionDef) and n.name == name), None
    )


def _calls(tree: ast.AST, name: str) -> bool:
    return any(
        isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr == name
        for n in ast.walk(tree)
    )


def _platforms(pkg: Path) -> Iterator[Path]:
    return (pkg / f"{p.value}.py" for p in Platform if (pkg / f"{p.value}.py").exists())


# ----------------------------------------------------------------- hassfest's validators


def _untyped(function: ast.AsyncFunctionDef | ast.FunctionDef, position: int) -> bool:
    if len(function.args.args) < position:
        return True
    annotation = function.args.args[position - 1].annotation
    return not (isinstance(annotation, ast.Name) and TYPED_ENTRY.match(annotation.id))


def check_runtime_data(pkg: Path) -> list[str]:
    """runtime_data.py: set in async_setup_entry; with strict-typing, typed entries everywhere."""
    init = _parse(pkg / "__init__.py")
    setup = _module_function(init, "async_setup_entry")
    if setup is None:
        return ["no async_setup_entry"]
    entry = setup.args.args[1].arg
    errors = []
    if not any(
        isinstance(n, ast.Attribute)
        and isinstance(n.value, ast.Name)
        and n.value.id == entry
        and n.attr == "runtime_data"
        and isinstance(n.ctx, ast.Store)
        for n in ast.walk(setup)
    ):
        errors.append("async_setup_entry does not set entry.runtime_data")
    if rule_status("strict-typing") != "done":
        return errors
    hooks = {
        "__init__.py": (
            "async_migrate_entry",
            "async_remove_config_entry_device",
            "async_remove_entry",
            "async_setup_entry",
            "async_unload_entry",
        ),
        "diagnostics.py": ("async_get_config_entry_diagnostics", "async_get_device_diagnostics"),
        **{path.name: ("async_setup_entry",) for path in _platforms(pkg)},
    }
    for file, names in hooks.items():
        module = _parse(pkg / file) if (pkg / file).exists() else ast.Module([], [])
        errors.extend(
            f"{file}: {name} does not take the typed ConfigEntry"
            for name in names
            if (function := _module_function(module, name)) and _untyped(function, 2)
        )
    errors.extend(
        "config_flow.py: async_get_options_flow takes an untyped entry"
        for node in ast.walk(_parse(pkg / "config_flow.py"))
        if isinstance(node, ast.FunctionDef)
        and node.name == "async_get_options_flow"
        and _untyped(node, 1)
    )
    return errors


def check_test_before_setup(pkg: Path) -> list[str]:
    """test_before_setup.py: a first refresh in async_setup_entry, or a ConfigEntry* raised."""
    setup = _module_function(_parse(pkg / "__init__.py"), "async_setup_entry")
    if setup is not None and _calls(setup, "async_config_entry_first_refresh"):
        return []
    valid = {"ConfigEntryNotReady", "ConfigEntryAuthFailed", "ConfigEntryError"}
    for path in pkg.rglob("*.py"):
        for node in ast.walk(_parse(path)):
            exc = node.exc if isinstance(node, ast.Raise) else None
            exc = exc.func if isinstance(exc, ast.Call) else exc
            if isinstance(exc, ast.Name) and exc.id in valid:
                return []
    return [f"raises none of {sorted(valid)}"]


def check_unique_config_entry(pkg: Path) -> list[str]:
    """unique_config_entry.py: an abort on a matching entry or on a configured unique id."""
    if read_json(pkg / "manifest.json").get("single_config_entry"):
        return []
    flow = _parse(pkg / "config_flow.py")
    if _calls(flow, "_async_abort_entries_match") or (
        _calls(flow, "async_set_unique_id") and _calls(flow, "_abort_if_unique_id_configured")
    ):
        return []
    return ["config_flow.py lets the same device be set up twice"]


def check_parallel_updates(pkg: Path) -> list[str]:
    """parallel_updates.py: PARALLEL_UPDATES in every platform module."""
    return [
        f"{path.name} does not set PARALLEL_UPDATES"
        for path in _platforms(pkg)
        if not any(
            isinstance(n, ast.Assign)
            and isinstance(n.targets[0], ast.Name)
            and n.targets[0].id == "PARALLEL_UPDATES"
            for n in _parse(path).body
        )
    ]


def check_diagnostics(pkg: Path) -> list[str]:
    """diagnostics.py: the platform and one of its functions."""
    names = {"async_get_config_entry_diagnostics", "async_get_device_diagnostics"}
    path = pkg / "diagnostics.py"
    if path.exists() and any(
        isinstance(n, ast.AsyncFunctionDef) and n.name in names for n in ast.walk(_parse(path))
    ):
        return []
    return ["no diagnostics"]


def check_config_entry_unloading(pkg: Path) -> list[str]:
    """config_entry_unloading.py: async_unload_entry in __init__.py."""
    found = _module_function(_parse(pkg / "__init__.py"), "async_unload_entry")
    return [] if found else ["no async_unload_entry"]


def check_reconfiguration_flow(pkg: Path) -> list[str]:
    """reconfiguration_flow.py: an async_step_reconfigure."""
    flow = _parse(pkg / "config_flow.py")
    found = any(
        isinstance(n, ast.AsyncFunctionDef) and n.name == "async_step_reconfigure"
        for n in ast.walk(flow)
    )
    return [] if found else ["no async_step_reconfigure"]


def check_action_setup(pkg: Path) -> list[str]:
    """action_setup.py: no service registered in any async_setup_entry."""
    errors = []
    for path in [pkg / "__init__.py", *_platforms(pkg)]:
        setup = _module_function(_parse(path), "async_setup_entry")
        if setup is not None and (
            _calls(setup, "async_register_entity_service") or _calls(setup, "async_register")
        ):
            errors.append(f"{path.name} registers services in async_setup_entry")
    return errors


def check_config_flow(pkg: Path) -> list[str]:
    """config_flow.py, and the rule's data_description: every field of every form described."""
    if (
        not read_json(pkg / "manifest.json").get("config_flow")
        or not (pkg / "config_flow.py").exists()
    ):
        return ["no config flow"]
    en = read_json(pkg / "translations" / "en.json")
    errors = []

    def walk(node: object, where: str) -> None:
        if not isinstance(node, dict):
            return
        if isinstance(node.get("data"), dict):
            described = node.get("data_description", {})
            errors.extend(
                f"{where}: {field} has no data_description"
                for field in node["data"]
                if field not in described
            )
        for key, child in node.items():
            walk(child, f"{where}.{key}")

    for section in ("config", "options", "config_subentries", "issues"):
        walk(en.get(section), section)
    return errors


# ----------------------------------------------------------------- this project's own checks


def _translation_keys(pkg: Path) -> Iterator[tuple[str, ast.expr]]:
    """Every translation_key= given to an exception (a call of a class named *Error)."""
    for path in pkg.rglob("*.py"):
        for node in ast.walk(_parse(path)):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id.endswith("Error")
            ):
                keywords = {k.arg: k.value for k in node.keywords}
                if "translation_key" in keywords:
                    yield path.name, keywords["translation_key"]
                elif node.func.id in ("HomeAssistantError", "ServiceValidationError"):
                    yield path.name, ast.Constant(None)


def check_exception_translations(pkg: Path) -> list[str]:
    """Every exception raised to the user has a translation key that en.json has."""
    messages = read_json(pkg / "translations" / "en.json")["exceptions"]
    assert isinstance(messages, dict)
    errors = []
    for file, key in _translation_keys(pkg):
        if isinstance(key, ast.JoinedStr):  # f"refused_{reason}": some key must fit it
            pattern = "".join(
                re.escape(part.value) if isinstance(part, ast.Constant) else r"\w+"
                for part in key.values
            )
            if not any(re.fullmatch(pattern, known) for known in messages):
                errors.append(f"{file}: no exception translation fits {pattern}")
        elif not (isinstance(key, ast.Constant) and key.value in messages):
            errors.append(f"{file}: exception without a translation ({ast.unparse(key)})")
    return errors


def check_icon_translations(pkg: Path) -> list[str]:
    """icons.json: an icon for every translated entity and every service."""
    icons = read_json(pkg / "icons.json") if (pkg / "icons.json").exists() else {}
    en = read_json(pkg / "translations" / "en.json")
    entity_icons, entities = icons.get("entity", {}), en["entity"]
    assert isinstance(entity_icons, dict)
    assert isinstance(entities, dict)
    errors = [
        f"no icon for {platform}.{key}"
        for platform, keys in entities.items()
        for key in keys
        if key not in entity_icons.get(platform, {})
    ]
    services = yaml.safe_load((pkg / "services.yaml").read_text(encoding="utf-8")) or {}
    service_icons = icons.get("services", {})
    assert isinstance(service_icons, dict)
    errors.extend(f"no icon for service {name}" for name in services if name not in service_icons)
    return errors


def check_docs(pkg: Path) -> list[str]:
    """Every README section a quality_scale.yaml comment names exists (in the English README)."""
    readme = (pkg.parents[1] / "README.md").read_text(encoding="utf-8")
    headings = set(re.findall(r"^#{2,4} (.+)$", readme, flags=re.MULTILINE))
    named = re.findall(
        r'README((?: "[^"]+"(?: and|,)?)+)', (pkg / "quality_scale.yaml").read_text()
    )
    sections = {name for group in named for name in re.findall(r'"([^"]+)"', group)}
    return [f'README has no section "{name}"' for name in sorted(sections - headings)]


def check_strict_typing(pkg: Path) -> list[str]:
    """mypy --strict over the integration (scripts/test runs it in both lanes)."""
    mypy = tomllib.loads((pkg.parents[1] / "pyproject.toml").read_text())["tool"]["mypy"]
    if mypy.get("strict") is True and "custom_components" in mypy.get("files", []):
        return []
    return ["mypy is not strict over custom_components"]


def check_brands(pkg: Path) -> list[str]:
    """brand/icon.png: what Home Assistant 2026.3+ shows for a custom integration."""
    return [] if (pkg / "brand" / "icon.png").is_file() else ["no brand/icon.png"]


CHECKS: dict[str, Callable[[Path], list[str]]] = {
    "action-setup": check_action_setup,
    "brands": check_brands,
    "config-entry-unloading": check_config_entry_unloading,
    "config-flow": check_config_flow,
    "diagnostics": check_diagnostics,
    "docs-examples": check_docs,
    "exception-translations": check_exception_translations,
    "icon-translations": check_icon_translations,
    "parallel-updates": check_parallel_updates,
    "reconfiguration-flow": check_reconfiguration_flow,
    "runtime-data": check_runtime_data,
    "strict-typing": check_strict_typing,
    "test-before-setup": check_test_before_setup,
    "unique-config-entry": check_unique_config_entry,
}
