"""What HACS checks (hacs/action, category integration) that can be checked offline, and the
GitHub workflows that run it, hassfest, the tests and the release.

HACS's own checks of a repository's GitHub settings (description, topics, issues enabled, not
archived) need GitHub and are left to the action.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
import subprocess
from typing import Any
import zipfile

from awesomeversion import AwesomeVersion
from homeassistant.const import __version__ as ha_version
import yaml

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "custom_components" / "zero_cold_water"
HACS: dict[str, Any] = json.loads((ROOT / "hacs.json").read_text(encoding="utf-8"))
MANIFEST: dict[str, Any] = json.loads((PACKAGE / "manifest.json").read_text(encoding="utf-8"))
WORKFLOWS = ROOT / ".github" / "workflows"
# custom_components/hacs/utils/validate.py: HACS_MANIFEST_JSON_SCHEMA (no other keys allowed).
HACS_KEYS = {
    *("content_in_root", "country", "filename", "hacs", "hide_default_branch"),
    *("homeassistant", "persistent_directory", "render_readme", "zip_release", "name"),
}


def test_hacs_json() -> None:
    assert set(HACS) <= HACS_KEYS
    assert isinstance(HACS["name"], str)
    assert HACS["render_readme"] is True
    assert not HACS.get("zip_release") or HACS["filename"].endswith(".zip")  # validate/hacsjson.py
    # The minimum Home Assistant is the minimum lane's (requirements/minimum.txt); both run it.
    assert AwesomeVersion(ha_version) >= AwesomeVersion(HACS["homeassistant"])
    assert "2025.4" in (ROOT / "requirements" / "minimum.txt").read_text()
    assert HACS["homeassistant"].startswith("2025.4")


def test_integration_manifest_for_hacs() -> None:
    """validate/integration_manifest.py: INTEGRATION_MANIFEST_JSON_SCHEMA."""
    for key in ("codeowners", "documentation", "domain", "issue_tracker", "name", "version"):
        assert key in MANIFEST, key
    assert isinstance(MANIFEST["codeowners"], list)
    assert MANIFEST["documentation"].startswith("https://")
    assert MANIFEST["issue_tracker"].startswith("https://")
    assert AwesomeVersion(MANIFEST["version"]).valid


def test_information_license_and_brand() -> None:
    """validate/information.py (a README), a licence, validate/brands.py (a local brand icon)."""
    assert (ROOT / "README.md").is_file()
    assert (ROOT / "LICENSE").read_text().startswith("MIT License")
    assert (PACKAGE / "brand" / "icon.png").is_file()
    assert len(list(ROOT.glob("custom_components/*/manifest.json"))) == 1  # one integration


def _workflow(name: str) -> dict[Any, Any]:
    data: dict[Any, Any] = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    return data


def _triggers(workflow: dict[Any, Any]) -> dict[str, Any]:
    triggers: dict[str, Any] = workflow[True]  # YAML 1.1 reads the key `on` as true
    return triggers


def _steps(workflow: dict[Any, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job["steps"]]


def test_validate_workflow_runs_hassfest_and_hacs() -> None:
    workflow = _workflow("validate.yaml")
    assert {"push", "pull_request"} <= set(_triggers(workflow))
    uses = {step["uses"].split("@")[0]: step for step in _steps(workflow) if "uses" in step}
    assert "home-assistant/actions/hassfest" in uses
    assert uses["hacs/action"]["with"] == {"category": "integration"}  # no check ignored


def test_tests_workflow_runs_scripts_test_in_both_lanes() -> None:
    workflow = _workflow("tests.yaml")
    assert {"push", "pull_request"} <= set(_triggers(workflow))
    steps = _steps(workflow)
    python = next(s for s in steps if s.get("uses", "").startswith("actions/setup-python"))
    assert python["with"]["python-version"].split() == ["3.13", "3.14"]
    run = next(s for s in steps if s.get("run") == "scripts/test")
    assert run["env"] == {"CI": "true"}


def test_release_workflow_zips_the_integration_hacs_installs() -> None:
    workflow = _workflow("release.yaml")
    assert _triggers(workflow) == {"release": {"types": ["published"]}}
    assert workflow["permissions"] == {"contents": "write"}
    script = "\n".join(step.get("run", "") for step in _steps(workflow))
    assert "jq -r .filename hacs.json" in script  # the name is hacs.json's, declared once
    assert "HEAD:custom_components/zero_cold_water" in script
    assert HACS["zip_release"] is True


def test_release_zip_has_the_integration_at_its_root() -> None:
    """The release step's `git archive` of the integration's folder, as HACS unpacks it."""
    archive = subprocess.run(
        ["git", "archive", "--format=zip", "HEAD:custom_components/zero_cold_water"],  # noqa: S607
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout
    names = set(zipfile.ZipFile(io.BytesIO(archive)).namelist())
    assert {"manifest.json", "__init__.py", "translations/en.json", "brand/icon.png"} <= names
    assert not [name for name in names if "__pycache__" in name or name.startswith("custom_")]
