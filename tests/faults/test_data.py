"""Bad data: a corrupted or old learned-data file, old config entries, bad service calls.

Expected: stored data that cannot be used is reset with one warning and never stops set-up;
every earlier config entry schema migrates; a bad service call raises a translated
ServiceValidationError and changes nothing.
"""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.zero_cold_water.const import (
    CONF_PUMP,
    CONF_PUMP_FLOW,
    CONF_TOPOLOGY,
    DEFAULT_OPTIONS,
    DOMAIN,
)
from custom_components.zero_cold_water.engine import Mode
from tests.conftest import ENTRY_ID, PUMP, make_entry, settle, setup_entry
from tests.faults.hardware import FakeHardware, SafetyObserver

try:  # HA 2026.x: probatio
    from probatio import Invalid
except ImportError:  # pragma: no cover - HA 2025.x
    from voluptuous import Invalid


@pytest.mark.parametrize(
    ("stored", "discarded"),
    [
        ([1, 2, 3], True),
        ("garbage", True),
        ({"mode": 5, "learned": None}, True),
        ({"mode": "on_demand", "learned": {"version": 0, "fixtures": {}}}, True),
        ({"mode": "off", "learned": {"version": 1, "fixtures": {"x": "bad"}, "totals": 3}}, True),
        ({"learned": {"version": 1}}, False),
    ],
    ids=["list", "string", "wrong-types", "older-version", "corrupt-parts", "no-mode"],
)
async def test_learned_data_file_corrupted_or_old(
    hass: HomeAssistant,
    *,
    fake: FakeHardware,
    observer: SafetyObserver,
    hass_storage: dict[str, Any],
    caplog: pytest.LogCaptureFixture,
    stored: Any,
    discarded: bool,
) -> None:
    hass_storage[f"{DOMAIN}.{ENTRY_ID}"] = {
        "version": 1,
        "minor_version": 1,
        "key": f"{DOMAIN}.{ENTRY_ID}",
        "data": stored,
    }
    entry = await setup_entry(hass, make_entry())
    assert entry.state is ConfigEntryState.LOADED
    assert ("stored learned data discarded" in caplog.text) is discarded
    assert caplog.text.count("stored learned data discarded") <= 1
    coordinator = entry.runtime_data.coordinator
    assert coordinator.mode in (Mode.ON_DEMAND, Mode.OFF)
    assert coordinator.learned.totals.cycles == 0
    observer.assert_at_rest()


@pytest.mark.parametrize("topology", ["cold_line", "return_line", "drain"])
async def test_migration_from_every_earlier_version(
    hass: HomeAssistant, fake: FakeHardware, topology: str
) -> None:
    """1.1 (topology and pump only) is the only earlier schema."""
    data: dict[str, Any] = {CONF_TOPOLOGY: topology}
    if topology != "drain":
        data[CONF_PUMP] = PUMP
    entry = MockConfigEntry(domain=DOMAIN, title="Home", data=data, version=1, minor_version=1)
    await setup_entry(hass, entry)
    assert entry.state is ConfigEntryState.LOADED
    assert (entry.version, entry.minor_version) == (1, 2)
    assert entry.options == DEFAULT_OPTIONS
    assert (CONF_PUMP_FLOW in entry.data) is (topology != "drain")


BAD_CALLS = [
    ("start", {"entity_id": "switch.nowhere"}, "no_fixtures"),
    ("start", {"entity_id": PUMP}, "no_fixtures"),
    ("start", {"device_id": "not-a-device"}, "no_fixtures"),
    ("stop", {"area_id": "attic"}, "no_fixtures"),
    ("reset_learning", {"entity_id": "switch.nowhere"}, "no_fixtures"),
    (
        "start",
        {"entity_id": "switch.kitchen_sink_hot_water", "target_temperature": 99},
        "out_of_range",
    ),
    (
        "start",
        {"entity_id": "switch.kitchen_sink_hot_water", "target_temperature": -5},
        "out_of_range",
    ),
    ("start", {"entity_id": "switch.kitchen_sink_hot_water", "max_run_time": 1}, "out_of_range"),
    ("start", {"entity_id": "switch.kitchen_sink_hot_water", "max_run_time": 1e9}, "out_of_range"),
]


@pytest.mark.parametrize(("service", "data", "key"), BAD_CALLS)
async def test_service_calls_with_bad_data(
    hass: HomeAssistant,
    *,
    fake: FakeHardware,
    observer: SafetyObserver,
    home: MockConfigEntry,
    service: str,
    data: dict[str, Any],
    key: str,
) -> None:
    calls = {e: list(d.calls) for e, d in fake.devices.items()}
    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(DOMAIN, service, data, blocking=True)
    assert err.value.translation_domain == DOMAIN
    assert err.value.translation_key == key
    await settle(hass)
    assert {e: d.calls for e, d in fake.devices.items()} == calls
    observer.assert_at_rest()


@pytest.mark.parametrize(
    "data",
    [
        {"entity_id": "switch.kitchen_sink_hot_water", "target_temperature": "hot"},
        {"entity_id": "switch.kitchen_sink_hot_water", "max_run_time": [1]},
        {"entity_id": "switch.kitchen_sink_hot_water", "colour": "red"},
    ],
)
async def test_service_calls_with_wrong_types(
    hass: HomeAssistant,
    *,
    fake: FakeHardware,
    observer: SafetyObserver,
    home: MockConfigEntry,
    data: dict[str, Any],
) -> None:
    """Wrong types fail HA's schema validation (translated by HA core), nothing changes."""
    calls = {e: list(d.calls) for e, d in fake.devices.items()}
    with pytest.raises((ServiceValidationError, Invalid)):
        await hass.services.async_call(DOMAIN, "start", data, blocking=True)
    await settle(hass)
    assert {e: d.calls for e, d in fake.devices.items()} == calls
    observer.assert_at_rest()
