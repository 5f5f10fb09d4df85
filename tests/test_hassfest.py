"""hassfest's checks of a custom integration, reproduced offline.

The hassfest action (home-assistant/actions/hassfest) runs Home Assistant core's script/hassfest
in validate mode on custom_components/zero_cold_water. That script is not in the homeassistant
wheel or sdist, so its plugins that apply to a custom integration are reproduced here from its
source: manifest (the custom-integration schema, version, key order), dependencies (imports of
other integrations), json, translations (en.json's shape and values, file names), services
(names and descriptions from services.yaml or en.json), icons and config_flow. Quality-scale
rules (hassfest checks them for core integrations only) are in test_quality_scale.py.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path
import re
from typing import Any

from awesomeversion import AwesomeVersion, AwesomeVersionStrategy
import homeassistant
from homeassistant.const import Platform
from homeassistant.generated.languages import LANGUAGES
import yaml

PACKAGE = Path(__file__).resolve().parents[1] / "custom_components" / "zero_cold_water"
MANIFEST: dict[str, Any] = json.loads((PACKAGE / "manifest.json").read_text(encoding="utf-8"))
EN: dict[str, Any] = json.loads((PACKAGE / "translations" / "en.json").read_text(encoding="utf-8"))

# script/hassfest/manifest.py: INTEGRATION_MANIFEST_SCHEMA extended for custom integrations.
MANIFEST_KEYS = {
    *("domain", "name", "integration_type", "config_flow", "mqtt", "zeroconf", "ssdp"),
    *("bluetooth", "homekit", "dhcp", "usb", "documentation", "issue_tracker", "quality_scale"),
    *("requirements", "dependencies", "after_dependencies", "codeowners", "loggers"),
    *("disabled", "iot_class", "single_config_entry", "version", "import_executor"),
}
INTEGRATION_TYPES = {"device", "entity", "hardware", "helper", "hub", "service", "system"}
IOT_CLASSES = {
    *("assumed_state", "calculated", "cloud_polling", "cloud_push", "local_polling"),
    "local_push",
}
# script/hassfest/dependencies.py: what any integration may import without declaring it.
ALLOWED_REFERENCES = {
    *(platform.value for platform in Platform),
    *("alert", "automation", "conversation", "default_config", "device_automation", "frontend"),
    *("group", "homeassistant", "input_boolean", "input_button", "input_datetime"),
    *("input_number", "input_select", "input_text", "media_source", "onboarding"),
    *("panel_custom", "persistent_notification", "person", "script", "shopping_list", "sun"),
    *("system_health", "system_log", "timer", "webhook", "websocket_api", "zone", "logbook"),
}
# script/hassfest/translations.py: the top-level sections an integration's strings may have.
TRANSLATION_SECTIONS = {
    *("title", "config", "options", "config_subentries", "selector", "services", "entity"),
    *("entity_component", "device", "device_automation", "exceptions", "issues"),
    *("conversation", "system_health", "application_credentials", "common"),
}
SLUG = re.compile(r"^[a-z0-9_]+$")


def _manifest_errors(manifest: dict[str, Any]) -> list[str]:
    """script/hassfest/manifest.py's validate_manifest and sort_manifest, custom integration."""
    errors = [f"unknown key {key}" for key in manifest if key not in MANIFEST_KEYS]
    errors.extend(
        f"missing {key}"
        for key in ("domain", "name", "documentation", "codeowners")
        if key not in manifest
    )
    if not str(manifest.get("documentation", "")).startswith("https://"):
        errors.append("documentation is not an https URL")
    if not str(manifest.get("issue_tracker", "https://")).startswith("https://"):
        errors.append("issue_tracker is not an https URL")
    if not all(isinstance(owner, str) for owner in manifest.get("codeowners", [None])):
        errors.append("codeowners is not a list of names")
    if manifest.get("integration_type", "hub") not in INTEGRATION_TYPES:
        errors.append("unknown integration_type")
    if manifest.get("iot_class") not in IOT_CLASSES:
        errors.append("missing or unknown iot_class")
    if manifest.get("domain") != PACKAGE.name:
        errors.append("domain does not match the folder name")
    if not manifest.get("version"):
        errors.append("no version (required for a custom integration)")
    else:
        AwesomeVersion(
            manifest["version"],
            ensure_strategy=[
                AwesomeVersionStrategy.CALVER,
                AwesomeVersionStrategy.SEMVER,
                AwesomeVersionStrategy.SIMPLEVER,
                AwesomeVersionStrategy.BUILDVER,
                AwesomeVersionStrategy.PEP440,
            ],
        )  # raises on an invalid version
    order = {"domain": ".domain", "name": ".name"}
    if list(manifest) != sorted(manifest, key=lambda key: order.get(key, key)):
        errors.append("keys not sorted: domain, name, then alphabetical")
    return errors


def test_manifest() -> None:
    assert _manifest_errors(MANIFEST) == []
    # The check is real: an unsorted manifest without a version fails it.
    broken = {"name": MANIFEST["name"], **{k: v for k, v in MANIFEST.items() if k != "version"}}
    assert set(_manifest_errors(broken)) == {
        "no version (required for a custom integration)",
        "keys not sorted: domain, name, then alphabetical",
    }


def test_domain_is_not_a_core_integration() -> None:
    """hassfest warns when a custom domain collides with a built-in one."""
    assert not (Path(homeassistant.__file__).parent / "components" / PACKAGE.name).exists()


def _references(path: Path) -> set[str]:
    """The other integrations a module imports (hassfest's ImportCollector)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module.startswith("homeassistant.components."):
                found.add(node.module.split(".")[2])
            elif node.module == "homeassistant.components":
                found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(
                alias.name.split(".")[2]
                for alias in node.names
                if alias.name.startswith("homeassistant.components.")
            )
    return found


def test_dependencies() -> None:
    allowed = {
        *ALLOWED_REFERENCES,
        *MANIFEST.get("dependencies", []),
        *MANIFEST.get("after_dependencies", []),
        PACKAGE.name,
    }
    # A platform of another integration (repairs.py, diagnostics.py) may import it.
    platforms = {path.stem for path in PACKAGE.glob("*.py")}
    undeclared = {
        f"{path.name}: {ref}"
        for path in PACKAGE.rglob("*.py")
        for ref in _references(path)
        if ref not in allowed and ref not in platforms
    }
    assert undeclared == set()


def test_every_json_file_parses() -> None:
    for path in PACKAGE.rglob("*.json"):
        json.loads(path.read_text(encoding="utf-8"))


def test_translation_file_names_are_languages() -> None:
    """check_translations_directory_name: each file is a language Home Assistant knows."""
    names = {path.stem for path in (PACKAGE / "translations").glob("*.json")}
    assert "en" in names
    assert names <= LANGUAGES


def _strings(node: Any, where: str = "") -> list[tuple[str, str]]:
    if isinstance(node, dict):
        return [pair for key, value in node.items() for pair in _strings(value, f"{where}.{key}")]
    return [(where, node)]


def test_translation_values() -> None:
    """translation_value_validator: strings, no HTML, no quoted placeholders, trimmed."""
    for path in (PACKAGE / "translations").glob("*.json"):
        strings = json.loads(path.read_text(encoding="utf-8"))
        assert set(strings) <= TRANSLATION_SECTIONS, path.name
        for where, value in _strings(strings):
            assert isinstance(value, str), f"{path.name}{where}"
            assert value.strip() == value, f"{path.name}{where}: surrounding whitespace"
            assert not re.search(r"<[a-z/][^>]*>", value), f"{path.name}{where}: HTML"
            assert not re.search(r"'\{\w+\}'", value), f"{path.name}{where}: quoted placeholder"


def test_translation_keys_are_slugs() -> None:
    """Entity, exception, issue, selector-option and error keys: lowercase slugs."""
    keys = [
        *(key for platform in EN["entity"].values() for key in platform),
        *EN["exceptions"],
        *EN["issues"],
        *(option for sel in EN["selector"].values() for option in sel["options"]),
        *EN["config"]["error"],
        *EN["config"]["abort"],
    ]
    assert [key for key in keys if not SLUG.match(key)] == []


def test_services_are_named_and_described() -> None:
    """services.py: each service and field has a name and description (yaml or en.json)."""
    services = yaml.safe_load((PACKAGE / "services.yaml").read_text(encoding="utf-8"))
    for name, schema in services.items():
        strings = EN["services"].get(name, {})
        for key in ("name", "description"):
            assert key in schema or key in strings, f"{name}: no {key}"
        for field in (schema or {}).get("fields", {}):
            described = strings.get("fields", {}).get(field, {})
            assert {"name", "description"} <= set(described), f"{name}.{field}"


def test_icons() -> None:
    """icons.py: entity icons with a default, mdi: icons, services known."""
    icons = json.loads((PACKAGE / "icons.json").read_text(encoding="utf-8"))
    assert set(icons) <= {"entity", "services"}
    for where, value in _strings(icons):
        assert value.startswith("mdi:"), where
    for platform, keys in icons["entity"].items():
        for key, entry in keys.items():
            assert "default" in entry, f"{platform}.{key}"
            assert key in EN["entity"][platform], f"{platform}.{key}: not a translated entity"
    services = yaml.safe_load((PACKAGE / "services.yaml").read_text(encoding="utf-8"))
    assert set(icons["services"]) == set(services)


def test_config_flow() -> None:
    """config_flow.py: a manifest with config_flow has the flow, registered for its domain."""
    assert MANIFEST["config_flow"] is True
    flow = ast.parse((PACKAGE / "config_flow.py").read_text(encoding="utf-8"))
    handlers = [
        node.name
        for node in ast.walk(flow)
        if isinstance(node, ast.ClassDef)
        and any(keyword.arg == "domain" for keyword in node.keywords)
    ]
    assert handlers == ["ZeroColdWaterConfigFlow"]
