"""Fixtures of the fault matrix: misbehaving stand-in hardware, the safety observer."""

from __future__ import annotations

from collections.abc import AsyncIterator

from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from tests.conftest import make_entry, settle, setup_entry
from tests.faults.hardware import FakeHardware, SafetyObserver


@pytest.fixture
async def fake(hass: HomeAssistant) -> AsyncIterator[FakeHardware]:
    """Stand-in pump and valves (input_boolean states), sensors at 20 °C."""
    hardware = FakeHardware(hass)
    await settle(hass)
    yield hardware
    hardware.cancel()


@pytest.fixture
async def observer(hass: HomeAssistant, fake: FakeHardware) -> AsyncIterator[SafetyObserver]:
    """The safety observer, listening from before set-up."""
    watcher = SafetyObserver(hass).start()
    yield watcher
    watcher.stop()


@pytest.fixture
async def home(
    hass: HomeAssistant, fake: FakeHardware, observer: SafetyObserver
) -> MockConfigEntry:
    """The cold-line installation of three fixtures on the stand-in hardware, set up."""
    return await setup_entry(hass, make_entry())
