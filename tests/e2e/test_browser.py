"""The path a person takes, in a real browser: log in, add an installation and a fixture through
Settings > Devices & services, switch the fixture's "Hot water" on from a dashboard, see it ready,
and find the outcome in the logbook. Screenshots of each step go to artifacts/e2e/.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path
import re
import shutil
import time
from typing import TYPE_CHECKING, Any

import pytest

from demo import bootstrap

from .conftest import HomeAssistant

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = pytest.mark.e2e

BRAND = Path(__file__).resolve().parents[2] / "custom_components" / bootstrap.DOMAIN / "brand"
LOCAL_BRANDS = importlib.util.find_spec("homeassistant.components.brands") is not None
"""Home Assistant 2026.3+ serves a custom integration's brand/ images itself; before, the
frontend asks brands.home-assistant.io, which this test's browser cannot reach."""
INSTALLATION_MODEL = "Cold line as the return (valve at the fixture)"
"""The installation device's model: its topology as the config flow names it (en.json)."""

FIXTURE = {
    "name": "Kitchen",
    "sensor": "Kitchen hot pipe",
    "valve": "Kitchen valve",
    "cold_sensor": "Kitchen RO inlet",
}


class Steps:
    """The test's page, with a screenshot per step (numbered in order)."""

    def __init__(self, page: Page, artifacts: Path) -> None:
        """Drive ``page``; keep screenshots in ``artifacts``."""
        self.page = page
        self.artifacts = artifacts
        self.count = 0

    def shot(self, name: str, *, full_page: bool = False) -> None:
        """Keep a screenshot of the page as it is now."""
        self.count += 1
        self.page.wait_for_timeout(400)  # let animations settle
        self.page.screenshot(
            path=self.artifacts / f"{self.count:02d}-{name}.png", full_page=full_page
        )

    def dialog(self) -> Locator:
        """The open data entry flow dialog."""
        return self.page.locator("dialog-data-entry-flow")

    def pick_entity(self, index: int, search: str) -> None:
        """Choose an entity in the ``index``-th entity picker of the open dialog."""
        picker = self.dialog().locator("ha-entity-picker").nth(index)
        picker.click()
        picker.locator("input").first.fill(search)
        combo = picker.locator("ha-picker-combo-box")  # HA 2025.5 on; before, a vaadin combo box
        if combo.count():
            combo.get_by_text(search).first.click()
            combo.wait_for(state="hidden")
        else:
            self.page.get_by_role("option", name=re.compile(re.escape(search))).first.click()

    def submit(self) -> None:
        """Press the dialog's Submit button."""
        self.dialog().get_by_role("button", name="Submit").click()


def log_in(steps: Steps, url: str) -> None:
    """The login page, as a person fills it."""
    page = steps.page
    page.goto(f"{url}/")
    page.get_by_role("textbox", name="Username").fill(bootstrap.USERNAME)
    page.get_by_role("textbox", name="Password").fill(bootstrap.PASSWORD)
    steps.shot("login")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda now: "/auth/" not in now)
    page.get_by_text("Settings").first.wait_for()


def add_installation(steps: Steps, url: str) -> None:
    """Settings > Devices & services > Add integration > Zero Cold Water: name, topology, pump."""
    page = steps.page
    page.goto(f"{url}/config/integrations/dashboard")
    page.get_by_role("button", name="Add integration").click()
    page.locator("dialog-add-integration input").first.fill("Zero Cold Water")
    steps.shot("add-integration")
    page.get_by_text("Zero Cold Water (Helper)").click()
    # A helper-type integration asks first, from the Helpers page.
    page.get_by_role("button", name="OK").click()
    steps.dialog().get_by_role("textbox", name="Name").fill("Home")
    steps.shot("installation")
    steps.submit()
    steps.pick_entity(0, "Recirculation pump")
    pump_flow = steps.dialog().get_by_role("spinbutton", name="Pump flow")
    pump_flow.fill("8")
    steps.shot("pump")
    steps.submit()
    # "Name and assign" (HA 2025.5 on) or "Success!": either ends with a Finish button.
    steps.dialog().get_by_role("button", name=re.compile("finish", re.IGNORECASE)).click()


def add_fixture(steps: Steps, url: str) -> None:
    """The installation's page > Add fixture: the hot pipe sensor, the valve, the RO inlet."""
    page = steps.page
    page.goto(f"{url}/config/integrations/integration/{bootstrap.DOMAIN}")
    add = page.get_by_role("button", name="Add fixture")
    page.get_by_text("Custom integration").first.wait_for()
    if not add.count():  # before HA 2025.5, in the entry's overflow menu
        page.locator("ha-config-integration-page ha-md-button-menu").first.click()
        add = page.get_by_role("menuitem", name="Add fixture")
    add.first.click()
    steps.dialog().get_by_role("textbox", name="Name").fill(FIXTURE["name"])
    steps.pick_entity(0, FIXTURE["sensor"])
    steps.pick_entity(1, FIXTURE["valve"])
    steps.pick_entity(2, FIXTURE["cold_sensor"])
    steps.shot("fixture")
    steps.submit()
    steps.dialog().get_by_text(f"Created configuration for {FIXTURE['name']}").wait_for()
    steps.dialog().get_by_role("button", name=re.compile("finish", re.IGNORECASE)).click()
    steps.dialog().wait_for(state="hidden")
    page.get_by_text("2 devices").first.wait_for()  # the installation's and the fixture's
    if LOCAL_BRANDS:
        check_brand_icon(page)
    steps.shot("integration-page")


def check_brand_icon(page: Page) -> None:
    """The integration page shows the icon from brand/, served by this Home Assistant."""
    icon = page.locator(f"img[src*='/api/brands/integration/{bootstrap.DOMAIN}/']").first
    icon.wait_for()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=icon.element_handle())
    src = str(icon.get_attribute("src"))
    name = src.split("?", maxsplit=1)[0].rsplit("/", 1)[1]  # icon.png or icon@2x.png, maybe dark_
    served = page.request.get(src)
    assert served.ok, src
    assert served.body() == (BRAND / name.removeprefix("dark_")).read_bytes()


def check_device_model(steps: Steps, home_assistant: HomeAssistant) -> None:
    """The installation's device page names its model readably (not ``cold_line``)."""

    async def devices(client: bootstrap.HomeAssistantClient) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = await client.ws({"type": "config/device_registry/list"})
        return result

    (device,) = [d for d in home_assistant.run(devices) if d["name"] == "Home"]
    assert device["model"] == INSTALLATION_MODEL
    steps.page.goto(f"{home_assistant.url}/config/devices/device/{device['id']}")
    expect(steps.page.get_by_text(INSTALLATION_MODEL).first).to_be_visible()
    steps.shot("device")


def check_no_repairs(steps: Steps, home_assistant: HomeAssistant) -> None:
    """The demo's configuration raises no repair issue (e.g. about a YAML `http:` section)."""

    async def issues(client: bootstrap.HomeAssistantClient) -> list[dict[str, Any]]:
        result: dict[str, list[dict[str, Any]]] = await client.ws({"type": "repairs/list_issues"})
        return result["issues"]

    assert [i for i in home_assistant.run(issues) if not i["ignored"]] == []
    # Settings lists repairs at its top when there are any.
    steps.page.goto(f"{home_assistant.url}/config/dashboard")
    expect(steps.page.get_by_text("Devices & services").first).to_be_visible()
    expect(steps.page.get_by_text("HTTP YAML configuration")).to_have_count(0)
    steps.shot("settings")


def make_dashboard(home_assistant: HomeAssistant) -> None:
    """The demo's dashboard on the installation just added (as scripts/develop makes it)."""

    async def go(client: bootstrap.HomeAssistantClient) -> None:
        await bootstrap.ensure_dashboard(client, hours_to_show=0.05)

    home_assistant.run(go)


def row(page: Page, card: str, name: str) -> Locator:
    """An entity row of an entities card on the dashboard."""
    return (
        page.locator("hui-entities-card")
        .filter(has_text=card)
        .locator(
            "hui-toggle-entity-row, hui-simple-entity-row, hui-button-entity-row, hui-sensor-entity-row"
        )
        .filter(has_text=name)
    )


def test_dashboard_path(home_assistant: HomeAssistant, page: Page, artifacts: Path) -> None:
    """Log in, add an installation and a fixture, heat it from the dashboard, see the logbook."""
    began = time.monotonic()
    steps = Steps(page, artifacts)
    log_in(steps, home_assistant.url)
    add_installation(steps, home_assistant.url)
    add_fixture(steps, home_assistant.url)
    check_device_model(steps, home_assistant)
    check_no_repairs(steps, home_assistant)
    make_dashboard(home_assistant)
    assert _dashboard_config(home_assistant)

    page.goto(f"{home_assistant.url}/{bootstrap.DASHBOARD_URL}/hot-water")
    hot_water = row(page, FIXTURE["name"], "Hot water").first
    hot_water.wait_for()
    steps.shot("dashboard")
    hot_water.locator("ha-entity-toggle").first.click()
    ready = row(page, FIXTURE["name"], "Hot water ready").first
    expect(ready).to_contain_text(re.compile(r"\bOff\b"))
    page.wait_for_timeout(1500)
    steps.shot("heating")
    expect(ready).to_contain_text(re.compile(r"\bOn\b"), timeout=120_000)
    steps.shot("ready")
    # The strap-on sensor catches up with the water seconds later (the graph shows both).
    page.wait_for_timeout(15_000)
    steps.shot("sensor-caught-up")
    page.locator("hui-logbook-card").scroll_into_view_if_needed()
    expect(page.locator("hui-logbook-card")).to_contain_text("Hot water ready")
    steps.shot("last-outcomes")

    # The outcome: the "Cycle" event entity's "Hot water ready" (HA 2025.5 on shows event types;
    # before, "detected an event"), and the fixture's "Hot water ready turned on".
    page.goto(f"{home_assistant.url}/logbook")
    outcome = page.get_by_text(re.compile(r"Cycle\W+Hot water ready")).or_(
        page.locator(".message").filter(has_text="Hot water ready").filter(has_text="turned on")
    )
    outcome.filter(visible=True).first.wait_for()
    steps.shot("logbook")
    print(f"browser path took {time.monotonic() - began:.1f} s")  # noqa: T201
    if os.environ.get("E2E_UPDATE_DOCS") == "1":
        _update_docs(artifacts)


# The screenshots README shows: docs/img/<name> from the step screenshot <step>.
DOCS_IMAGES = {
    "ui-add-integration.png": "add-integration",
    "ui-installation.png": "installation",
    "ui-pump.png": "pump",
    "ui-fixture.png": "fixture",
    "ui-integration-page.png": "integration-page",
    "ui-dashboard.png": "dashboard",
    "ui-ready.png": "sensor-caught-up",
    "ui-last-outcomes.png": "last-outcomes",
    "ui-logbook.png": "logbook",
}


def _update_docs(artifacts: Path) -> None:
    """Copy the chosen screenshots to docs/img.

    E2E_UPDATE_DOCS=1 E2E=1 scripts/test latest tests/e2e --no-cov (the newest frontend's look).
    """
    docs = Path(__file__).resolve().parents[2] / "docs" / "img"
    for name, step in DOCS_IMAGES.items():
        (shot,) = artifacts.glob(f"[0-9][0-9]-{step}.png")
        shutil.copyfile(shot, docs / name)


def _dashboard_config(home_assistant: HomeAssistant) -> dict[str, Any]:
    async def go(client: bootstrap.HomeAssistantClient) -> dict[str, Any]:
        result: dict[str, Any] = await client.ws(
            {"type": "lovelace/config", "url_path": bootstrap.DASHBOARD_URL}
        )
        return result

    config = home_assistant.run(go)
    titles = [
        card["title"]
        for section in config["views"][0]["sections"]
        for card in section["cards"]
        if "title" in card
    ]
    assert FIXTURE["name"] in titles, titles
    return config
